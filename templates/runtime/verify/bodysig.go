package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/jsondoc"
)

// BodySigner is a Scheme whose signature travels inside the body: signing
// rewrites the body rather than setting headers.
type BodySigner interface {
	Scheme
	SignBody(body []byte, secret []byte, now time.Time) ([]byte, error)
}

// BodySignature is a signature carried in fields of the JSON body, over
// other fields (Mailgun: signature.signature = hex HMAC-SHA256 of
// signature.timestamp + signature.token). It authenticates the sender and
// the moment, not the rest of the body; the timestamp window and the
// event id's dedupe refuse replays.
type BodySignature struct {
	Algorithm Algorithm
	Encoding  Encoding
	// Dotted paths to the fields.
	TimestampField, TokenField, SignatureField string
	// SignedPayload frames what is signed with {timestamp} and {token}.
	SignedPayload string
	Unit          TimestampUnit
	Tolerance     time.Duration
}

// Validate reports a configuration error.
func (s BodySignature) Validate() error {
	if _, err := s.Algorithm.hash(); err != nil {
		return err
	}
	if s.TimestampField == "" || s.SignatureField == "" || !strings.Contains(s.SignedPayload, "{timestamp}") {
		return errorf("body-signature needs timestamp and signature fields, and {timestamp} in the signed payload")
	}
	if s.Tolerance <= 0 {
		return errorf("tolerance must be positive")
	}
	return s.Encoding.valid()
}

func (s BodySignature) clock() TimestampedHMAC {
	return TimestampedHMAC{Unit: s.Unit, Tolerance: s.Tolerance}
}

func (s BodySignature) parts(ts, token string) [][]byte {
	return frame(s.SignedPayload, func(name string) ([]byte, bool) {
		switch name {
		case "timestamp":
			return []byte(ts), true
		case "token":
			return []byte(token), true
		}
		return nil, false
	})
}

// ParseTime reads a timestamp as the scheme writes it.
func (s BodySignature) ParseTime(v string) (time.Time, error) { return s.clock().parseTime(v) }

// Verify implements Scheme.
func (s BodySignature) Verify(_ http.Header, body []byte, secrets [][]byte, now time.Time) error {
	hf, err := s.Algorithm.hash()
	if err != nil {
		return err
	}
	if len(secrets) == 0 {
		return ErrNoSecret
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc any
	if d.Decode(&doc) != nil {
		return ErrMissingSignature
	}
	sigText, ok := jsondoc.Text(doc, s.SignatureField)
	if !ok || sigText == "" {
		return ErrMissingSignature
	}
	ts, okT := jsondoc.Text(doc, s.TimestampField)
	token, okK := jsondoc.Text(doc, s.TokenField)
	if !okT || (s.TokenField != "" && !okK) {
		return ErrMalformedSignature
	}
	sig, err := s.Encoding.decode(sigText)
	if err != nil || len(sig) == 0 {
		return ErrMalformedSignature
	}
	at, err := s.clock().parseTime(ts)
	if err != nil {
		return err
	}
	if !matchAny(hf, secrets, [][]byte{sig}, s.parts(ts, token)...) {
		return ErrSignatureMismatch
	}
	return s.clock().fresh(at, now)
}

// Sign implements Scheme: the signature is in the body, so headers stay as
// they are (see SignBody).
func (s BodySignature) Sign(http.Header, []byte, []byte, time.Time) {}

// SignBody implements BodySigner: it sets the timestamp, a token derived
// from the body and time (deterministic for tests) and the signature.
func (s BodySignature) SignBody(body []byte, secret []byte, now time.Time) ([]byte, error) {
	hf, err := s.Algorithm.hash()
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil, errorf("body-signature signs a JSON object: %v", err)
	}
	ts := s.clock().FormatTime(now)
	token := refToken(ts, body)
	set(doc, s.TimestampField, ts)
	if s.TokenField != "" {
		set(doc, s.TokenField, token)
	}
	set(doc, s.SignatureField, s.Encoding.encode(mac(hf, secret, s.parts(ts, token)...)))
	return json.Marshal(doc)
}

// refToken is a 50-character token, like Mailgun's, from the time and body.
func refToken(ts string, body []byte) string {
	return Hex.encode(mac(sha256.New, []byte(ts), body))[:50]
}

// set writes v at a dotted path, making the objects on the way.
func set(doc map[string]any, path, v string) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := doc[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[k] = next
		}
		doc = next
	}
	doc[keys[len(keys)-1]] = v
}
