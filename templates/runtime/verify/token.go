package verify

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// Token is a shared secret the provider sends as is in a header, behind an
// optional prefix: GitLab's X-Gitlab-Token, Telegram's
// X-Telegram-Bot-Api-Secret-Token, an Okta event hook's Authorization. It
// proves only that the sender knows the secret (no body integrity), which is
// all these providers offer; serve them over TLS.
type Token struct {
	Header string
	// Prefix precedes the token, e.g. "Bearer ".
	Prefix string
}

// Validate reports a configuration error.
func (s Token) Validate() error {
	if s.Header == "" {
		return errorf("token header name is empty")
	}
	return nil
}

// Verify implements Scheme.
func (s Token) Verify(h http.Header, _ []byte, secrets [][]byte, _ time.Time) error {
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	v, err := single(h, s.Header)
	if err != nil {
		return err
	}
	token, ok := cutPrefixFold(v, s.Prefix)
	if !ok {
		return ErrMalformedSignature
	}
	if !equalAny([]byte(token), secrets) {
		return ErrSignatureMismatch
	}
	return nil
}

// Sign implements Scheme.
func (s Token) Sign(h http.Header, _ []byte, secret []byte, _ time.Time) {
	h.Set(s.Header, s.Prefix+string(secret))
}

// BasicAuth is HTTP basic authentication (Postmark: the user and password
// are in the webhook URL). Each secret is "user:password".
type BasicAuth struct{}

// Validate reports a configuration error.
func (BasicAuth) Validate() error { return nil }

// Verify implements Scheme.
func (BasicAuth) Verify(h http.Header, _ []byte, secrets [][]byte, _ time.Time) error {
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	v, err := single(h, "Authorization")
	if err != nil {
		return err
	}
	scheme, encoded, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return ErrMalformedSignature
	}
	pair, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil || !strings.Contains(string(pair), ":") {
		return ErrMalformedSignature
	}
	if !equalAny(pair, secrets) {
		return ErrSignatureMismatch
	}
	return nil
}

// Sign implements Scheme.
func (BasicAuth) Sign(h http.Header, _ []byte, secret []byte, _ time.Time) {
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString(secret))
}

// equalAny compares got with every secret in constant time. Hashing first
// keeps the time independent of the lengths too.
func equalAny(got []byte, secrets [][]byte) bool {
	g := sha256.Sum256(got)
	ok := 0
	for _, s := range secrets {
		w := sha256.Sum256(s)
		ok |= subtle.ConstantTimeCompare(g[:], w[:])
	}
	return ok == 1
}
