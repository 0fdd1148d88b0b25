package verify

import (
	"fmt"
	"time"
)

// Spec is a provider definition's "signature" block (see
// schemas/provider.schema.json in the generator): the scheme family and its
// parameters. The generator prints the scheme it maps to into the service,
// and the conformance tests read definitions through it, so a definition
// means one thing everywhere.
type Spec struct {
	Scheme           string      `json:"scheme"`
	Header           string      `json:"header"`
	Algorithm        string      `json:"algorithm"`
	Encoding         string      `json:"encoding"`
	Prefix           string      `json:"prefix,omitempty"`
	ListSeparator    string      `json:"listSeparator,omitempty"` // hmac: several signatures in one header
	Configurable     bool        `json:"configurable,omitempty"`
	Format           *SpecFormat `json:"format,omitempty"`
	IDHeader         string      `json:"idHeader,omitempty"`
	SignedPayload    string      `json:"signedPayload,omitempty"`
	TimestampHeader  string      `json:"timestampHeader,omitempty"` // hmac-url: the header carrying {timestamp}
	TimestampUnit    string      `json:"timestampUnit,omitempty"`
	ToleranceSeconds int         `json:"toleranceSeconds,omitempty"`
	HeaderPrefix     string      `json:"headerPrefix,omitempty"`   // standard-webhooks: "webhook" or "svix"
	EitherPort       bool        `json:"eitherPort,omitempty"`     // hmac-url
	Latin1           bool        `json:"latin1,omitempty"`         // hmac-url
	BodyHashParam    string      `json:"bodyHashParam,omitempty"`  // hmac-url
	TimestampField   string      `json:"timestampField,omitempty"` // body-signature
	TokenField       string      `json:"tokenField,omitempty"`     // body-signature
	SignatureField   string      `json:"signatureField,omitempty"` // body-signature
}

// SpecFormat is how a timestamped signature travels: kind "pairs" is one
// key=value header (Stripe's t=...,v1=...); kind "headers" puts the
// timestamp in a header of its own (Slack).
type SpecFormat struct {
	Kind            string `json:"kind"`
	PairSeparator   string `json:"pairSeparator,omitempty"`
	TimestampKey    string `json:"timestampKey,omitempty"`
	SignatureKey    string `json:"signatureKey,omitempty"`
	TimestampHeader string `json:"timestampHeader,omitempty"`
	Prefix          string `json:"prefix,omitempty"`
	ListSeparator   string `json:"listSeparator,omitempty"`
}

// SignsBody reports whether the signature covers the body. A token, a
// password, or Mailgun's signature over its own timestamp and token prove
// who sent a delivery, not what it says.
func (s Spec) SignsBody() bool {
	switch s.Scheme {
	case "token", "basic-auth", "body-signature":
		return false
	}
	return true
}

// Build is the scheme the spec describes, with its default tolerance.
func (s Spec) Build() (Scheme, error) {
	tolerance := time.Duration(s.ToleranceSeconds) * time.Second
	switch s.Scheme {
	case "hmac":
		return HMAC{Header: s.Header, Algorithm: Algorithm(s.Algorithm), Encoding: Encoding(s.Encoding), Prefix: s.Prefix, ListSeparator: s.ListSeparator}, nil
	case "timestamped-hmac":
		t := TimestampedHMAC{
			Header: s.Header, Algorithm: Algorithm(s.Algorithm), Encoding: Encoding(s.Encoding),
			IDHeader: s.IDHeader, SignedPayload: s.SignedPayload, Unit: TimestampUnit(s.TimestampUnit),
			Tolerance: tolerance,
		}
		if f := s.Format; f != nil && f.Kind == "headers" {
			t.TimestampHeader, t.Prefix, t.ListSeparator = f.TimestampHeader, f.Prefix, f.ListSeparator
		} else if f != nil {
			t.PairSeparator, t.TimestampKey, t.SignatureKey = f.PairSeparator, f.TimestampKey, f.SignatureKey
		}
		return t, nil
	case "standard-webhooks":
		return StandardWebhooks(s.HeaderPrefix, tolerance), nil
	case "token":
		return Token{Header: s.Header, Prefix: s.Prefix}, nil
	case "basic-auth":
		return BasicAuth{}, nil
	case "hmac-url":
		return URLHMAC{Header: s.Header, Algorithm: Algorithm(s.Algorithm), Encoding: Encoding(s.Encoding), SignedPayload: s.SignedPayload,
			EitherPort: s.EitherPort, Latin1: s.Latin1, BodyHashParam: s.BodyHashParam,
			TimestampHeader: s.TimestampHeader, Unit: TimestampUnit(s.TimestampUnit), Tolerance: tolerance}, nil
	case "body-signature":
		return BodySignature{
			Algorithm: Algorithm(s.Algorithm), Encoding: Encoding(s.Encoding),
			TimestampField: s.TimestampField, TokenField: s.TokenField, SignatureField: s.SignatureField,
			SignedPayload: s.SignedPayload, Unit: TimestampUnit(s.TimestampUnit), Tolerance: tolerance,
		}, nil
	case "ed25519", "ecdsa":
		k := PublicKeySignature{
			Algorithm: Ed25519, Header: s.Header, Encoding: Encoding(s.Encoding),
			SignedPayload: s.SignedPayload, Unit: TimestampUnit(s.TimestampUnit), Tolerance: tolerance,
		}
		if s.Scheme == "ecdsa" {
			k.Algorithm = ECDSAP256
		}
		if s.Format != nil {
			k.TimestampHeader = s.Format.TimestampHeader
		}
		return k, nil
	}
	return nil, fmt.Errorf("scheme %q is not implemented", s.Scheme)
}
