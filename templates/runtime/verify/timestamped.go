package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// TimestampUnit is how a scheme writes its timestamp.
type TimestampUnit string

const (
	Seconds      TimestampUnit = "seconds"
	Milliseconds TimestampUnit = "milliseconds"
	// RFC3339 is a date such as 2019-11-16T10:11:12.634234626Z (Twitch).
	RFC3339 TimestampUnit = "rfc3339"
)

// TimestampedHMAC is an HMAC over the provider's framing of a timestamp, the
// body and sometimes a message id. Timestamps older or newer than Tolerance
// are refused, so a captured delivery cannot be replayed later.
//
// The signature travels in one of two layouts:
//
//   - pairs: one header of key=value pairs carries the timestamp and the
//     signatures (Stripe's "t=<unix>,v1=<hex>[,v1=<hex>...]"); set
//     PairSeparator, TimestampKey and SignatureKey.
//   - headers: the timestamp has a header of its own (TimestampHeader) and
//     Header holds the signatures, each behind Prefix, several separated by
//     ListSeparator (Slack's "v0=<hex>"; Standard Webhooks' "v1,<b64> v1,<b64>").
//
// SignedPayload frames what is signed with {timestamp}, {body} and {id}, the
// value of IDHeader (Twitch, Standard Webhooks).
type TimestampedHMAC struct {
	Header    string
	Algorithm Algorithm
	Encoding  Encoding
	// Pairs layout. Other keys (Stripe's legacy v0) are ignored;
	// SignatureKey may repeat.
	PairSeparator string
	TimestampKey  string
	SignatureKey  string
	// Headers layout.
	TimestampHeader string
	Prefix          string
	ListSeparator   string
	// IDHeader carries the message id that {id} stands for.
	IDHeader      string
	SignedPayload string
	Unit          TimestampUnit
	Tolerance     time.Duration
}

// StandardWebhooks is the Standard Webhooks scheme (standardwebhooks.com,
// and Svix, which it came from): headers <prefix>-id, <prefix>-timestamp and
// <prefix>-signature ("v1,<base64>", space-separated while rotating) over
// "{id}.{timestamp}.{body}". headerPrefix is "webhook" or "svix". Its
// secrets are the base64 after "whsec_" (see DecodeSecret).
func StandardWebhooks(headerPrefix string, tolerance time.Duration) TimestampedHMAC {
	return TimestampedHMAC{
		Header: headerPrefix + "-signature", Algorithm: SHA256, Encoding: Base64,
		TimestampHeader: headerPrefix + "-timestamp", Prefix: "v1,", ListSeparator: " ",
		IDHeader: headerPrefix + "-id", SignedPayload: "{id}.{timestamp}.{body}",
		Unit: Seconds, Tolerance: tolerance,
	}
}

// maxPairs bounds the work one header can cause.
const maxPairs = 32

func (s TimestampedHMAC) pairs() bool { return s.TimestampHeader == "" }

// parsePairs reads a key=value header such as "t=1,v1=ab".
func (s TimestampedHMAC) parsePairs(value string) (timestamp string, sigs [][]byte, err error) {
	seenTimestamp := false
	pairs := strings.Split(value, s.PairSeparator)
	if len(pairs) > maxPairs {
		return "", nil, ErrMalformedSignature
	}
	for _, pair := range pairs {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		switch k {
		case s.TimestampKey:
			if seenTimestamp {
				return "", nil, ErrMalformedSignature // two timestamps: which one was signed?
			}
			seenTimestamp, timestamp = true, v
		case s.SignatureKey:
			if sig, err := s.Encoding.decode(v); err == nil && len(sig) > 0 {
				sigs = append(sigs, sig)
			}
		}
	}
	if timestamp == "" || len(sigs) == 0 {
		return "", nil, ErrMalformedSignature
	}
	return timestamp, sigs, nil
}

// parseList reads the signatures of the headers layout: every value of
// Header, split on ListSeparator, each behind Prefix. Entries with another
// prefix (a Standard Webhooks "v1a," next to "v1,") are skipped.
func (s TimestampedHMAC) parseList(values []string) ([][]byte, error) {
	var sigs [][]byte
	n := 0
	for _, value := range values {
		items := []string{value}
		if s.ListSeparator != "" {
			items = strings.Split(value, s.ListSeparator)
		}
		for _, v := range items {
			if n++; n > maxPairs {
				return nil, ErrMalformedSignature
			}
			v = strings.TrimSpace(v)
			v, ok := cutPrefixFold(v, s.Prefix)
			if !ok {
				continue
			}
			if sig, err := s.Encoding.decode(v); err == nil && len(sig) > 0 {
				sigs = append(sigs, sig)
			}
		}
	}
	if len(sigs) == 0 {
		return nil, ErrMalformedSignature
	}
	return sigs, nil
}

func (s TimestampedHMAC) parseTime(ts string) (time.Time, error) {
	if s.Unit == RFC3339 {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil || t.Year() < 1970 || t.Year() > 9999 {
			return time.Time{}, ErrMalformedSignature
		}
		return t, nil
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, ErrMalformedSignature
	}
	if s.Unit == Milliseconds {
		return time.UnixMilli(n), nil
	}
	if n > 1<<40 { // far beyond any real date; keeps the arithmetic below exact
		return time.Time{}, ErrMalformedSignature
	}
	return time.Unix(n, 0), nil
}

// FormatTime writes t as the scheme's timestamp.
func (s TimestampedHMAC) FormatTime(t time.Time) string {
	switch s.Unit {
	case Milliseconds:
		return strconv.FormatInt(t.UnixMilli(), 10)
	case RFC3339:
		return t.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// ParseTime reads a timestamp as the scheme writes it.
func (s TimestampedHMAC) ParseTime(v string) (time.Time, error) { return s.parseTime(v) }

// framing is SignedPayload with {timestamp}, {id} and {body} filled in.
func (s TimestampedHMAC) framing(ts, id string, body []byte) [][]byte {
	return frame(s.SignedPayload, func(name string) ([]byte, bool) {
		switch name {
		case "timestamp":
			return []byte(ts), true
		case "id":
			return []byte(id), true
		case "body":
			return body, true
		}
		return nil, false
	})
}

// Validate reports a configuration error.
func (s TimestampedHMAC) Validate() error {
	if _, err := s.Algorithm.hash(); err != nil {
		return err
	}
	if s.Header == "" {
		return errorf("timestamped-hmac needs a signature header")
	}
	if s.pairs() && (s.PairSeparator == "" || s.TimestampKey == "" || s.SignatureKey == "") {
		return errorf("timestamped-hmac needs a timestamp header, or a pair separator and both keys")
	}
	if !strings.Contains(s.SignedPayload, "{body}") || !strings.Contains(s.SignedPayload, "{timestamp}") {
		return errorf("signed payload %q must include {timestamp} and {body}", s.SignedPayload)
	}
	if strings.Contains(s.SignedPayload, "{id}") != (s.IDHeader != "") {
		return errorf("signed payload %q and the id header %q go together", s.SignedPayload, s.IDHeader)
	}
	switch s.Unit {
	case Seconds, Milliseconds, RFC3339:
	default:
		return errorf("unknown timestamp unit %q", string(s.Unit))
	}
	if s.Tolerance <= 0 {
		return errorf("tolerance must be positive")
	}
	return s.Encoding.valid()
}

// signed is a delivery's signed message as the layout reads it.
type signed struct {
	at         time.Time
	signatures [][]byte
	parts      [][]byte // the framing, to MAC or hash
}

// read finds the timestamp, the signatures and the message id in h.
func (s TimestampedHMAC) read(h http.Header, body []byte) (signed, error) {
	var timestamp string
	var sigs [][]byte
	var err error
	if s.pairs() {
		value := h.Get(s.Header)
		if value == "" {
			return signed{}, ErrMissingSignature
		}
		if timestamp, sigs, err = s.parsePairs(value); err != nil {
			return signed{}, err
		}
	} else {
		values := h.Values(s.Header)
		if len(values) == 0 || (len(values) == 1 && values[0] == "") {
			return signed{}, ErrMissingSignature
		}
		if stamps := h.Values(s.TimestampHeader); len(stamps) != 1 {
			return signed{}, ErrMalformedSignature // none, or two: which one was signed?
		}
		timestamp = strings.TrimSpace(h.Get(s.TimestampHeader))
		if sigs, err = s.parseList(values); err != nil {
			return signed{}, err
		}
	}
	var id string
	if s.IDHeader != "" {
		if ids := h.Values(s.IDHeader); len(ids) != 1 || ids[0] == "" {
			return signed{}, ErrMalformedSignature
		}
		id = h.Get(s.IDHeader)
	}
	at, err := s.parseTime(timestamp)
	if err != nil {
		return signed{}, err
	}
	return signed{at: at, signatures: sigs, parts: s.framing(timestamp, id, body)}, nil
}

// fresh checks the timestamp against the tolerance. Callers check the
// signature first, so a stale but authentic request is told apart from a
// forged one in logs.
func (s TimestampedHMAC) fresh(at, now time.Time) error {
	if d := now.Sub(at); d > s.Tolerance || d < -s.Tolerance {
		return ErrTimestampExpired
	}
	return nil
}

// Verify implements Scheme.
func (s TimestampedHMAC) Verify(h http.Header, body []byte, secrets [][]byte, now time.Time) error {
	hf, err := s.Algorithm.hash()
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	m, err := s.read(h, body)
	if err != nil {
		return err
	}
	if !matchAny(hf, secrets, m.signatures, m.parts...) {
		return ErrSignatureMismatch
	}
	return s.fresh(m.at, now)
}

// message writes the headers of the layout for a signature over the framed
// message; sign computes that signature.
func (s TimestampedHMAC) message(h http.Header, body []byte, now time.Time, sign func(parts [][]byte) string) {
	ts := s.FormatTime(now)
	var id string
	if s.IDHeader != "" {
		if id = h.Get(s.IDHeader); id == "" {
			sum := sha256.Sum256(append([]byte(ts+"."), body...))
			id = "msg_" + hex.EncodeToString(sum[:12])
			h.Set(s.IDHeader, id)
		}
	}
	sig := sign(s.framing(ts, id, body))
	if s.pairs() {
		h.Set(s.Header, s.TimestampKey+"="+ts+s.PairSeparator+s.SignatureKey+"="+sig)
		return
	}
	h.Set(s.TimestampHeader, ts)
	h.Set(s.Header, s.Prefix+sig)
}

// Sign implements Scheme. A message id already in h (at IDHeader) is
// signed as is; otherwise one is derived from the body and the time, so the
// same input signs the same way.
func (s TimestampedHMAC) Sign(h http.Header, body []byte, secret []byte, now time.Time) {
	hf, err := s.Algorithm.hash()
	if err != nil {
		panic(err) // a programming error: definitions are validated when loaded
	}
	s.message(h, body, now, func(parts [][]byte) string { return s.Encoding.encode(mac(hf, secret, parts...)) })
}

func errorf(format string, args ...any) error { return fmt.Errorf("verify: "+format, args...) }
