package verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
)

// Request is what a RequestScheme signs besides the body.
type Request struct {
	Method string
	// URL is the URL as the provider called it: the service's public URL
	// (scheme, host and any path prefix a proxy strips) and the request URI.
	URL string
}

// RequestScheme is a Scheme whose signature covers the request's URL (and
// method) too. The receive path calls VerifyRequest for such schemes.
type RequestScheme interface {
	Scheme
	VerifyRequest(r Request, h http.Header, body []byte, secrets [][]byte, now time.Time) error
	SignRequest(r Request, h http.Header, body []byte, secret []byte, now time.Time)
}

// URLHMAC is an HMAC over a framing of the URL the provider called, the
// method and the body: Square's "{url}{body}", Trello's "{body}{url}",
// HubSpot v3's "{method}{url}{body}{timestamp}". Behind a proxy the
// request's own URL is not the one the provider signed, so the service is
// told its public URL.
type URLHMAC struct {
	Header    string
	Algorithm Algorithm
	Encoding  Encoding
	// SignedPayload frames what is signed with {url}, {method}, {body} and
	// {timestamp}.
	SignedPayload string
	// TimestampHeader, when set, carries the {timestamp}, which must be
	// within Tolerance of now.
	TimestampHeader string
	Unit            TimestampUnit
	Tolerance       time.Duration
	// EitherPort accepts the signature over the URL with or without its
	// default port (Twilio signs either way).
	EitherPort bool
	// Latin1 also accepts the signature over the message as a JavaScript
	// "binary" string (each UTF-16 unit cut to its low byte), which is how
	// Trello's Node signer hashes non-ASCII text.
	Latin1 bool
	// BodyHashParam names a query parameter carrying the hex SHA-256 of a
	// body that is not a form (Twilio's bodySHA256): the URL is signed
	// without {params}, and the body must match the hash.
	BodyHashParam string
}

// clock reads and writes the timestamp as TimestampedHMAC does.
func (s URLHMAC) clock() TimestampedHMAC {
	return TimestampedHMAC{Unit: s.Unit, Tolerance: s.Tolerance}
}

// Validate reports a configuration error.
func (s URLHMAC) Validate() error {
	if _, err := s.Algorithm.hash(); err != nil {
		return err
	}
	if s.Header == "" {
		return errorf("hmac-url needs a signature header")
	}
	if !strings.Contains(s.SignedPayload, "{url}") ||
		(!strings.Contains(s.SignedPayload, "{body}") && !strings.Contains(s.SignedPayload, "{params}")) {
		return errorf("signed payload %q must include {url}, and {body} or {params}", s.SignedPayload)
	}
	if strings.Contains(s.SignedPayload, "{timestamp}") != (s.TimestampHeader != "") {
		return errorf("signed payload %q and the timestamp header %q go together", s.SignedPayload, s.TimestampHeader)
	}
	if s.TimestampHeader != "" && s.Tolerance <= 0 {
		return errorf("tolerance must be positive")
	}
	return s.Encoding.valid()
}

func (s URLHMAC) parts(r Request, ts string, body []byte) [][]byte {
	return frame(s.SignedPayload, func(name string) ([]byte, bool) {
		switch name {
		case "params":
			return formParams(body, r.URL, s.BodyHashParam), true
		case "timestamp":
			return []byte(ts), true
		case "url":
			return []byte(r.URL), true
		case "method":
			return []byte(r.Method), true
		case "body":
			return body, true
		}
		return nil, false
	})
}

// Verify implements Scheme; a URLHMAC cannot verify without the URL.
func (s URLHMAC) Verify(h http.Header, body []byte, secrets [][]byte, now time.Time) error {
	return errorf("hmac-url needs the request URL: call VerifyRequest")
}

// VerifyRequest implements RequestScheme.
func (s URLHMAC) VerifyRequest(r Request, h http.Header, body []byte, secrets [][]byte, now time.Time) error {
	hf, err := s.Algorithm.hash()
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	v, err := single(h, s.Header)
	if err != nil {
		return err
	}
	sig, err := s.Encoding.decode(strings.TrimSpace(v))
	if err != nil || len(sig) == 0 {
		return ErrMalformedSignature
	}
	var ts string
	var at time.Time
	if s.TimestampHeader != "" {
		stamps := h.Values(s.TimestampHeader)
		if len(stamps) != 1 {
			return ErrMalformedSignature
		}
		ts = strings.TrimSpace(stamps[0])
		if at, err = s.clock().parseTime(ts); err != nil {
			return err
		}
	}
	if !s.bodyHashMatches(r.URL, body) {
		return ErrSignatureMismatch
	}
	urls := []string{r.URL}
	if s.EitherPort {
		urls = portVariants(r.URL)
	}
	ok := false
	for _, u := range urls {
		parts := s.parts(Request{Method: r.Method, URL: u}, ts, body)
		ok = matchAny(hf, secrets, [][]byte{sig}, parts...) || ok
		if s.Latin1 {
			ok = matchAny(hf, secrets, [][]byte{sig}, latin1(parts)) || ok
		}
	}
	if !ok {
		return ErrSignatureMismatch
	}
	if s.TimestampHeader != "" {
		return s.clock().fresh(at, now)
	}
	return nil
}

// Sign implements Scheme; without a URL it signs an empty one.
func (s URLHMAC) Sign(h http.Header, body []byte, secret []byte, now time.Time) {
	s.SignRequest(Request{Method: http.MethodPost}, h, body, secret, now)
}

// SignRequest implements RequestScheme.
func (s URLHMAC) SignRequest(r Request, h http.Header, body []byte, secret []byte, now time.Time) {
	hf, err := s.Algorithm.hash()
	if err != nil {
		panic(err)
	}
	var ts string
	if s.TimestampHeader != "" {
		ts = s.clock().FormatTime(now)
		h.Set(s.TimestampHeader, ts)
	}
	h.Set(s.Header, s.Encoding.encode(mac(hf, secret, s.parts(r, ts, body)...)))
}

// ParseTime reads a timestamp as the scheme writes it.
func (s URLHMAC) ParseTime(v string) (time.Time, error) { return s.clock().parseTime(v) }

// frame splits a framing template into literal parts and the values of its
// {placeholders}; unknown placeholders stay literal text.
func frame(tmpl string, value func(name string) ([]byte, bool)) [][]byte {
	var parts [][]byte
	rest := tmpl
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
		if v, ok := value(rest[i+1 : i+j]); ok {
			parts = append(parts, v)
		} else {
			parts = append(parts, []byte(rest[i:i+j+1]))
		}
		rest = rest[i+j+1:]
	}
	return parts
}

// formParams is what {params} stands for: a form body's fields sorted by
// name, then distinct values sorted, each written as name+value (Twilio's
// RequestValidator in twilio-python and twilio-node). A body signed by hash
// instead has none.
func formParams(body []byte, rawURL, hashParam string) []byte {
	if hashParam != "" {
		if u, err := url.Parse(rawURL); err == nil && u.Query().Has(hashParam) {
			return nil
		}
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	for _, k := range keys {
		vs := append([]string(nil), values[k]...)
		sort.Strings(vs)
		for i, v := range vs {
			if i > 0 && v == vs[i-1] {
				continue // repeated values count once, as Twilio's SDKs sign (a set)
			}
			b = append(append(b, k...), v...)
		}
	}
	return b
}

// bodyHashMatches checks a body signed by its hash in the URL.
func (s URLHMAC) bodyHashMatches(rawURL string, body []byte) bool {
	if s.BodyHashParam == "" {
		return true
	}
	u, err := url.Parse(rawURL)
	if err != nil || !u.Query().Has(s.BodyHashParam) {
		return true // a form: its fields are signed instead
	}
	want, err := hex.DecodeString(u.Query().Get(s.BodyHashParam))
	sum := sha256.Sum256(body)
	return err == nil && hmac.Equal(want, sum[:])
}

// portVariants is the URL as given, without its port and with the
// scheme's default port.
func portVariants(rawURL string) []string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return []string{rawURL}
	}
	out := []string{rawURL}
	host := u.Hostname()
	if u.Port() != "" {
		v := *u
		v.Host = host
		out = append(out, v.String())
	} else if p := map[string]string{"https": "443", "http": "80"}[u.Scheme]; p != "" {
		v := *u
		v.Host = net.JoinHostPort(host, p)
		out = append(out, v.String())
	}
	return out
}

// latin1 is the message as JavaScript's "binary" encoding writes a string:
// every UTF-16 code unit cut to its low byte.
func latin1(parts [][]byte) []byte {
	var out []byte
	for _, p := range parts {
		for _, u := range utf16.Encode([]rune(string(p))) {
			out = append(out, byte(u))
		}
	}
	return out
}
