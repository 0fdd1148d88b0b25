// Package verify implements the signature schemes providers use. Each scheme
// is stateless: it checks a request's headers and raw body against every
// configured secret, in constant time, and can sign a body the same way (for
// tests and the CLI's sign command).
package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"time"
)

// The ways a signature check fails. All of them mean 401 to the sender; the
// distinction is for logs and metrics.
var (
	ErrMissingSignature   = errors.New("signature header missing")
	ErrMalformedSignature = errors.New("signature header malformed")
	ErrSignatureMismatch  = errors.New("signature does not match")
	ErrTimestampExpired   = errors.New("signature timestamp outside the tolerance")
	ErrNoSecret           = errors.New("no secret configured")
)

// Scheme verifies and signs deliveries of one provider.
type Scheme interface {
	// Verify returns nil when the signature in h matches body under one of
	// secrets, and its timestamp (if the scheme has one) is within tolerance
	// of now.
	Verify(h http.Header, body []byte, secrets [][]byte, now time.Time) error
	// Sign sets the headers a sender would set for body, signed with secret at now.
	Sign(h http.Header, body []byte, secret []byte, now time.Time)
}

// Algorithm names a hash for HMAC.
type Algorithm string

const (
	SHA1   Algorithm = "sha1"
	SHA256 Algorithm = "sha256"
	SHA512 Algorithm = "sha512"
)

func (a Algorithm) hash() (func() hash.Hash, error) {
	switch a {
	case SHA1:
		return sha1.New, nil
	case SHA256:
		return sha256.New, nil
	case SHA512:
		return sha512.New, nil
	}
	return nil, fmt.Errorf("unknown HMAC algorithm %q", string(a))
}

// Encoding names how a signature is written in its header.
type Encoding string

const (
	Hex       Encoding = "hex"
	Base64    Encoding = "base64"
	Base64URL Encoding = "base64url"
)

func (e Encoding) encode(b []byte) string {
	switch e {
	case Base64:
		return base64.StdEncoding.EncodeToString(b)
	case Base64URL:
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return hex.EncodeToString(b)
}

// decode is lenient where providers are: hex in either case, base64url with
// or without padding.
func (e Encoding) decode(s string) ([]byte, error) {
	switch e {
	case Base64:
		return base64.StdEncoding.DecodeString(s)
	case Base64URL:
		if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
			return b, nil
		}
		return base64.URLEncoding.DecodeString(s)
	}
	return hex.DecodeString(s)
}

func (e Encoding) valid() error {
	switch e {
	case Hex, Base64, Base64URL:
		return nil
	}
	return fmt.Errorf("unknown signature encoding %q", string(e))
}

// mac computes HMAC(secret, parts...) without joining the parts.
func mac(h func() hash.Hash, secret []byte, parts ...[]byte) []byte {
	m := hmac.New(h, secret)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// matchAny reports whether one of the candidate signatures equals the MAC of
// parts under one of the secrets. Every pair is compared in constant time.
func matchAny(h func() hash.Hash, secrets [][]byte, candidates [][]byte, parts ...[]byte) bool {
	ok := false
	for _, secret := range secrets {
		want := mac(h, secret, parts...)
		for _, c := range candidates {
			if hmac.Equal(want, c) {
				ok = true
			}
		}
	}
	return ok
}

// single is the value of a header that must appear once: ErrMissingSignature
// when it is absent or empty, ErrMalformedSignature when it is repeated
// (which one would be meant?).
func single(h http.Header, name string) (string, error) {
	values := h.Values(name)
	if len(values) == 0 || values[0] == "" {
		return "", ErrMissingSignature
	}
	if len(values) > 1 {
		return "", ErrMalformedSignature
	}
	return values[0], nil
}

// cutPrefixFold removes prefix from v, matched case-insensitively
// ("sha256=" or "SHA256="): the signature, not the spelling, decides.
func cutPrefixFold(v, prefix string) (string, bool) {
	if len(v) < len(prefix) || !strings.EqualFold(v[:len(prefix)], prefix) {
		return v, false
	}
	return v[len(prefix):], true
}
