// Package sign signs deliveries as providers do, for the CLI's sign, send
// and keygen commands: with the scheme the definition's signature builds
// (verify.Spec.Build), the one the generator prints into the service, so
// the two cannot disagree.
package sign

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// timestamped is a scheme that writes a timestamp.
type timestamped interface {
	ParseTime(string) (time.Time, error)
}

// ParseTimestamp reads a timestamp in the provider's wire format (unix
// seconds, milliseconds or RFC 3339); empty means now.
func ParseTimestamp(s catalog.Signature, v string, now time.Time) (time.Time, error) {
	if v == "" {
		return now, nil
	}
	scheme, err := s.Build()
	if err != nil {
		return time.Time{}, err
	}
	ts, ok := scheme.(timestamped)
	if !ok {
		return time.Time{}, fmt.Errorf("the %s scheme signs no timestamp", s.Scheme)
	}
	t, err := ts.ParseTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: want %s as the provider writes it", v, unitName(s))
	}
	return t, nil
}

func unitName(s catalog.Signature) string {
	switch s.TimestampUnit {
	case "milliseconds":
		return "unix milliseconds"
	case "rfc3339":
		return "an RFC 3339 time"
	}
	return "unix seconds"
}

// Secret is the key a provider signs with, from the secret as the service's
// <NAME>_WEBHOOK_SECRET holds it.
func Secret(p *catalog.Provider, secret string) ([]byte, error) {
	keys, err := verify.DecodeSecrets(verify.SecretEncoding(p.MainCredential().Encoding), [][]byte{[]byte(secret)})
	if err != nil {
		return nil, err
	}
	return keys[0], nil
}

// Options are the message details a scheme may sign besides the body.
type Options struct {
	At time.Time
	// ID is the message id for schemes that sign one (empty: derived).
	ID string
	// PrivateKey signs for public-key schemes (see verify.GenerateKey).
	PrivateKey []byte
	// URL is the endpoint URL, for schemes that sign it.
	URL string
}

// Delivery signs body with secret (as the service's environment holds it)
// and returns the headers a provider sends, and the body: the same, unless
// the scheme signs inside the body (Mailgun).
func Delivery(p *catalog.Provider, body []byte, secret string, o Options) (http.Header, []byte, error) {
	scheme, err := p.Signature.Build()
	if err != nil {
		return nil, nil, err
	}
	var key []byte
	if _, ok := scheme.(verify.PublicKeySignature); ok {
		if key = o.PrivateKey; len(key) == 0 {
			return nil, nil, fmt.Errorf("%s signs with a private key: pass --key (keygen makes a test pair)", p.Name)
		}
	} else if key, err = Secret(p, secret); err != nil {
		return nil, nil, err
	}
	h := http.Header{}
	if t, ok := scheme.(verify.TimestampedHMAC); ok && t.IDHeader != "" && o.ID != "" {
		h.Set(t.IDHeader, o.ID)
	} else if o.ID != "" {
		return nil, nil, fmt.Errorf("%s signs no message id: drop --id", p.Name)
	}
	switch s := scheme.(type) {
	case verify.RequestScheme:
		if o.URL == "" {
			return nil, nil, fmt.Errorf("%s signs the endpoint URL: pass --url (the URL the provider calls)", p.Name)
		}
		s.SignRequest(verify.Request{Method: http.MethodPost, URL: o.URL}, h, body, key, o.At)
	case verify.BodySigner:
		if body, err = s.SignBody(body, key, o.At); err != nil {
			return nil, nil, err
		}
	default:
		scheme.Sign(h, body, key, o.At)
	}
	return h, body, nil
}

// KeyPair makes a test key pair for a public-key provider: the private key
// as PEM (PKCS #8) for --key, and the public key as the provider hands it
// out (the value of its variable).
func KeyPair(p *catalog.Provider) (privatePEM []byte, public string, err error) {
	scheme, err := p.Signature.Build()
	if err != nil {
		return nil, "", err
	}
	pk, ok := scheme.(verify.PublicKeySignature)
	if !ok {
		return nil, "", fmt.Errorf("%s signs with a shared secret, not a key pair", p.Name)
	}
	private, pub, err := verify.GenerateKey(pk.Algorithm)
	if err != nil {
		return nil, "", err
	}
	der := private
	if pk.Algorithm == verify.Ed25519 {
		if der, err = x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(private)); err != nil {
			return nil, "", err
		}
	}
	privatePEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	return privatePEM, verify.EncodeSecret(verify.SecretEncoding(p.MainCredential().Encoding), pub), nil
}

// PrivateKey reads a PEM private key (as KeyPair writes it) into the form
// the public-key schemes sign with.
func PrivateKey(b []byte) ([]byte, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("not a PEM \"PRIVATE KEY\" (make one with keygen)")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	if ed, ok := k.(ed25519.PrivateKey); ok {
		return ed.Seed(), nil
	}
	return block.Bytes, nil
}
