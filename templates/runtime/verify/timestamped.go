package verify

import (
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
)

// TimestampedHMAC is an HMAC over the provider's framing of a timestamp and
// the body, carried with the timestamp in one header of key=value pairs:
// Stripe's "t=<unix>,v1=<hex>[,v1=<hex>...]" over "{timestamp}.{body}".
// Timestamps older or newer than Tolerance are refused, so a captured
// delivery cannot be replayed later.
type TimestampedHMAC struct {
	Header    string
	Algorithm Algorithm
	Encoding  Encoding
	// PairSeparator separates the key=value pairs (Stripe: ",").
	PairSeparator string
	// TimestampKey and SignatureKey name the pairs (Stripe: "t" and "v1").
	// Other keys (Stripe's legacy v0) are ignored; SignatureKey may repeat.
	TimestampKey string
	SignatureKey string
	// SignedPayload frames what is signed with {timestamp} and {body}.
	SignedPayload string
	Unit          TimestampUnit
	Tolerance     time.Duration
}

// maxPairs bounds the work one header can cause.
const maxPairs = 32

type timestampedHeader struct {
	timestamp  string
	signatures [][]byte
}

func (s TimestampedHMAC) parse(value string) (timestampedHeader, error) {
	var out timestampedHeader
	seenTimestamp := false
	pairs := strings.Split(value, s.PairSeparator)
	if len(pairs) > maxPairs {
		return out, ErrMalformedSignature
	}
	for _, pair := range pairs {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			continue
		}
		switch k {
		case s.TimestampKey:
			if seenTimestamp {
				return out, ErrMalformedSignature // two timestamps: which one was signed?
			}
			seenTimestamp, out.timestamp = true, v
		case s.SignatureKey:
			if sig, err := s.Encoding.decode(v); err == nil && len(sig) > 0 {
				out.signatures = append(out.signatures, sig)
			}
		}
	}
	if out.timestamp == "" || len(out.signatures) == 0 {
		return out, ErrMalformedSignature
	}
	return out, nil
}

func (s TimestampedHMAC) parseTime(ts string) (time.Time, error) {
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

func (s TimestampedHMAC) formatTime(t time.Time) string {
	if s.Unit == Milliseconds {
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// framing splits SignedPayload into literal and placeholder parts once per call.
func (s TimestampedHMAC) framing(ts string, body []byte) [][]byte {
	var parts [][]byte
	rest := s.SignedPayload
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			parts = append(parts, []byte(rest))
			break
		}
		if i > 0 {
			parts = append(parts, []byte(rest[:i]))
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			parts = append(parts, []byte(rest[i:]))
			break
		}
		switch rest[i : i+j+1] {
		case "{timestamp}":
			parts = append(parts, []byte(ts))
		case "{body}":
			parts = append(parts, body)
		default:
			parts = append(parts, []byte(rest[i:i+j+1]))
		}
		rest = rest[i+j+1:]
	}
	return parts
}

// Validate reports a configuration error.
func (s TimestampedHMAC) Validate() error {
	if _, err := s.Algorithm.hash(); err != nil {
		return err
	}
	if s.Header == "" || s.PairSeparator == "" || s.TimestampKey == "" || s.SignatureKey == "" {
		return errorf("timestamped-hmac needs a header, a pair separator and both keys")
	}
	if !strings.Contains(s.SignedPayload, "{body}") {
		return errorf("signed payload %q does not include {body}", s.SignedPayload)
	}
	if s.Tolerance <= 0 {
		return errorf("tolerance must be positive")
	}
	return s.Encoding.valid()
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
	value := h.Get(s.Header)
	if value == "" {
		return ErrMissingSignature
	}
	parsed, err := s.parse(value)
	if err != nil {
		return err
	}
	ts, err := s.parseTime(parsed.timestamp)
	if err != nil {
		return err
	}
	// The MAC is checked before the clock, so a stale but authentic request is
	// told apart from a forged one in logs.
	if !matchAny(hf, secrets, parsed.signatures, s.framing(parsed.timestamp, body)...) {
		return ErrSignatureMismatch
	}
	if d := now.Sub(ts); d > s.Tolerance || d < -s.Tolerance {
		return ErrTimestampExpired
	}
	return nil
}

// Sign implements Scheme.
func (s TimestampedHMAC) Sign(h http.Header, body []byte, secret []byte, now time.Time) {
	hf, err := s.Algorithm.hash()
	if err != nil {
		panic(err) // a programming error: definitions are validated when loaded
	}
	ts := s.formatTime(now)
	sig := s.Encoding.encode(mac(hf, secret, s.framing(ts, body)...))
	h.Set(s.Header, s.TimestampKey+"="+ts+s.PairSeparator+s.SignatureKey+"="+sig)
}

func errorf(format string, args ...any) error { return fmt.Errorf("verify: "+format, args...) }
