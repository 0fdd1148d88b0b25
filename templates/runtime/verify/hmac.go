package verify

import (
	"net/http"
	"strings"
	"time"
)

// HMAC is an HMAC of the raw body in one header, optionally behind a prefix:
// GitHub's "sha256=<hex>", Shopify's "<base64>".
type HMAC struct {
	Header    string
	Algorithm Algorithm
	Encoding  Encoding
	// Prefix precedes the encoded signature, e.g. "sha256=".
	Prefix string
	// ListSeparator, when set, separates several signatures in one header
	// (PagerDuty while rotating: "v1=<hex>,v1=<hex>").
	ListSeparator string
}

// Validate reports a configuration error (for the generic provider, whose
// parameters come from config).
func (s HMAC) Validate() error {
	if _, err := s.Algorithm.hash(); err != nil {
		return err
	}
	if s.Header == "" {
		return errorf("signature header name is empty")
	}
	return s.Encoding.valid()
}

// Verify implements Scheme.
func (s HMAC) Verify(h http.Header, body []byte, secrets [][]byte, _ time.Time) error {
	hf, err := s.Algorithm.hash()
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	values := h.Values(s.Header)
	if len(values) == 0 || (len(values) == 1 && values[0] == "") {
		return ErrMissingSignature
	}
	if s.ListSeparator != "" {
		var split []string
		for _, v := range values {
			split = append(split, strings.Split(v, s.ListSeparator)...)
		}
		if len(split) > maxPairs {
			return ErrMalformedSignature
		}
		values = split
	}
	candidates := make([][]byte, 0, len(values))
	for _, v := range values {
		// Prefixes such as "sha256=" are matched case-insensitively
		// (go-github is stricter): the MAC decides.
		v, ok := cutPrefixFold(strings.TrimSpace(v), s.Prefix)
		if !ok {
			continue
		}
		sig, err := s.Encoding.decode(v)
		if err != nil || len(sig) == 0 {
			continue
		}
		candidates = append(candidates, sig)
	}
	if len(candidates) == 0 {
		return ErrMalformedSignature
	}
	if !matchAny(hf, secrets, candidates, body) {
		return ErrSignatureMismatch
	}
	return nil
}

// Sign implements Scheme.
func (s HMAC) Sign(h http.Header, body []byte, secret []byte, _ time.Time) {
	hf, err := s.Algorithm.hash()
	if err != nil {
		panic(err) // a programming error: definitions are validated when loaded
	}
	h.Set(s.Header, s.Prefix+s.Encoding.encode(mac(hf, secret, body)))
}
