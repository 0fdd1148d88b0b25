package verify

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"net/http"
	"time"
)

// KeyAlgorithm names a public-key signature.
type KeyAlgorithm string

const (
	// Ed25519 keys are 32 raw bytes (Discord hands them out hex-encoded).
	Ed25519 KeyAlgorithm = "ed25519"
	// ECDSAP256 is ECDSA on P-256 over SHA-256, ASN.1 signatures, keys as
	// DER SubjectPublicKeyInfo (SendGrid hands them out base64-encoded).
	ECDSAP256 KeyAlgorithm = "ecdsa-p256-sha256"
)

// PublicKeySignature is a signature by the provider's private key over a
// timestamped message (Discord: Ed25519 over "{timestamp}{body}"; SendGrid:
// ECDSA over the same). The service holds only public keys, so nobody who
// can read its configuration can forge a delivery. The headers are read as
// TimestampedHMAC's headers layout reads them.
type PublicKeySignature struct {
	Algorithm       KeyAlgorithm
	Header          string
	Encoding        Encoding
	TimestampHeader string
	SignedPayload   string
	Unit            TimestampUnit
	Tolerance       time.Duration
}

func (s PublicKeySignature) layout() TimestampedHMAC {
	return TimestampedHMAC{
		Header: s.Header, Algorithm: SHA256, Encoding: s.Encoding, TimestampHeader: s.TimestampHeader,
		SignedPayload: s.SignedPayload, Unit: s.Unit, Tolerance: s.Tolerance,
	}
}

// ParseTime reads a timestamp as the scheme writes it.
func (s PublicKeySignature) ParseTime(v string) (time.Time, error) { return s.layout().ParseTime(v) }

// Validate reports a configuration error.
func (s PublicKeySignature) Validate() error {
	switch s.Algorithm {
	case Ed25519, ECDSAP256:
	default:
		return errorf("unknown public-key algorithm %q", string(s.Algorithm))
	}
	if s.TimestampHeader == "" {
		return errorf("a public-key signature needs a timestamp header")
	}
	return s.layout().Validate()
}

// CheckKeys reports a public key that cannot be used, at startup rather
// than as a 401 on every delivery.
func (s PublicKeySignature) CheckKeys(keys [][]byte) error {
	for i, k := range keys {
		if _, err := s.parseKey(k); err != nil {
			return errorf("public key %d of %d: %v", i+1, len(keys), err)
		}
	}
	return nil
}

func (s PublicKeySignature) parseKey(k []byte) (any, error) {
	switch s.Algorithm {
	case Ed25519:
		if len(k) != ed25519.PublicKeySize {
			return nil, errorf("an Ed25519 public key is %d bytes, not %d", ed25519.PublicKeySize, len(k))
		}
		return ed25519.PublicKey(k), nil
	case ECDSAP256:
		pub, err := x509.ParsePKIXPublicKey(k)
		if err != nil {
			return nil, errorf("not a DER public key: %v", err)
		}
		ec, ok := pub.(*ecdsa.PublicKey)
		if !ok || ec.Curve.Params().Name != "P-256" {
			return nil, errorf("not an ECDSA P-256 public key")
		}
		return ec, nil
	}
	return nil, errorf("unknown public-key algorithm %q", string(s.Algorithm))
}

// Verify implements Scheme; keys are the provider's public keys.
func (s PublicKeySignature) Verify(h http.Header, body []byte, keys [][]byte, now time.Time) error {
	if len(keys) == 0 {
		return ErrNoSecret
	}
	l := s.layout()
	m, err := l.read(h, body)
	if err != nil {
		return err
	}
	msg := join(m.parts)
	ok := false
	for _, k := range keys {
		pub, err := s.parseKey(k)
		if err != nil {
			return ErrNoSecret // CheckKeys refuses such keys at startup
		}
		for _, sig := range m.signatures {
			switch p := pub.(type) {
			case ed25519.PublicKey:
				ok = ok || (len(sig) == ed25519.SignatureSize && ed25519.Verify(p, msg, sig))
			case *ecdsa.PublicKey:
				sum := sha256.Sum256(msg)
				ok = ok || ecdsa.VerifyASN1(p, sum[:], sig)
			}
		}
	}
	if !ok {
		return ErrSignatureMismatch
	}
	return l.fresh(m.at, now)
}

// Sign implements Scheme; key is a private key: an Ed25519 seed (32 bytes)
// or private key (64), or an ECDSA key as PKCS #8 DER (see GenerateKey).
func (s PublicKeySignature) Sign(h http.Header, body []byte, key []byte, now time.Time) {
	s.layout().message(h, body, now, func(parts [][]byte) string {
		msg := join(parts)
		switch s.Algorithm {
		case Ed25519:
			priv := ed25519.PrivateKey(key)
			if len(key) == ed25519.SeedSize {
				priv = ed25519.NewKeyFromSeed(key)
			}
			return s.Encoding.encode(ed25519.Sign(priv, msg))
		case ECDSAP256:
			k, err := x509.ParsePKCS8PrivateKey(key)
			if err != nil {
				panic(errorf("ECDSA private key: %v", err))
			}
			sum := sha256.Sum256(msg)
			sig, err := ecdsa.SignASN1(rand.Reader, k.(*ecdsa.PrivateKey), sum[:])
			if err != nil {
				panic(err)
			}
			return s.Encoding.encode(sig)
		}
		panic(errorf("unknown public-key algorithm %q", string(s.Algorithm)))
	})
}

// GenerateKey makes a test key pair for alg: the private key as Sign takes
// it, the public key as Verify takes it.
func GenerateKey(alg KeyAlgorithm) (private, public []byte, err error) {
	switch alg {
	case Ed25519:
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		return priv.Seed(), pub, nil
	case ECDSAP256:
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		if private, err = x509.MarshalPKCS8PrivateKey(k); err != nil {
			return nil, nil, err
		}
		public, err = x509.MarshalPKIXPublicKey(&k.PublicKey)
		return private, public, err
	}
	return nil, nil, errorf("unknown public-key algorithm %q", string(alg))
}

func join(parts [][]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
