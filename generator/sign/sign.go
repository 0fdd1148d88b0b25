// Package sign signs payloads the way a provider does, for the CLI's sign
// command and for tests: it maps a definition's signature to the same verify
// scheme the generated service checks with.
package sign

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// Scheme returns the verify scheme of a definition's signature.
func Scheme(s catalog.Signature) (verify.Scheme, error) {
	switch s.Scheme {
	case "hmac":
		return verify.HMAC{Header: s.Header, Algorithm: verify.Algorithm(s.Algorithm), Encoding: verify.Encoding(s.Encoding), Prefix: s.Prefix}, nil
	case "timestamped-hmac":
		return verify.TimestampedHMAC{
			Header: s.Header, Algorithm: verify.Algorithm(s.Algorithm), Encoding: verify.Encoding(s.Encoding),
			PairSeparator: s.Format.PairSeparator, TimestampKey: s.Format.TimestampKey, SignatureKey: s.Format.SignatureKey,
			SignedPayload: s.SignedPayload, Unit: verify.TimestampUnit(s.TimestampUnit),
			Tolerance: time.Duration(s.ToleranceSeconds) * time.Second,
		}, nil
	}
	return nil, fmt.Errorf("scheme %q cannot sign", s.Scheme)
}

// ParseTimestamp reads a timestamp in the provider's wire format (unix
// seconds or milliseconds); empty means now.
func ParseTimestamp(s catalog.Signature, v string, now time.Time) (time.Time, error) {
	if v == "" {
		return now, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: want unix %s", v, unitName(s))
	}
	if s.TimestampUnit == "milliseconds" {
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

func unitName(s catalog.Signature) string {
	if s.TimestampUnit == "milliseconds" {
		return "milliseconds"
	}
	return "seconds"
}

// Headers signs body with secret at t and returns the headers a provider sends.
func Headers(p *catalog.Provider, body, secret []byte, t time.Time) (http.Header, error) {
	scheme, err := Scheme(p.Signature)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	scheme.Sign(h, body, secret, t)
	return h, nil
}
