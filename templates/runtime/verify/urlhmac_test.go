package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"testing"
)

func TestURLHMAC(t *testing.T) {
	square := URLHMAC{Header: "X-Square-Hmacsha256-Signature", Algorithm: SHA256, Encoding: Base64, SignedPayload: "{url}{body}"}
	trello := URLHMAC{Header: "X-Trello-Webhook", Algorithm: SHA1, Encoding: Base64, SignedPayload: "{body}{url}"}
	for _, s := range []URLHMAC{square, trello} {
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	url := "https://hooks.example.com/webhooks/square"
	body := []byte(`{"merchant_id":"6SSW7HV8K2ST5","type":"payment.created","event_id":"13b867cf-db3d-4b1c-90b6-2f32a9d78124"}`)
	r := Request{Method: http.MethodPost, URL: url}

	// The documented algorithms, computed here with crypto/hmac directly.
	m := hmac.New(sha256.New, []byte("sq-key"))
	m.Write([]byte(url))
	m.Write(body)
	squareSig := base64.StdEncoding.EncodeToString(m.Sum(nil))
	m = hmac.New(sha1.New, []byte("trello-secret"))
	m.Write(body)
	m.Write([]byte(url))
	trelloSig := base64.StdEncoding.EncodeToString(m.Sum(nil))

	for _, c := range []struct {
		name   string
		s      URLHMAC
		secret string
		sig    string
	}{
		{"square", square, "sq-key", squareSig},
		{"trello", trello, "trello-secret", trelloSig},
	} {
		h := header(c.s.Header, c.sig)
		wantErr(t, c.name, c.s.VerifyRequest(r, h, body, secrets("old", c.secret), testNow), nil)
		wantErr(t, c.name+" other URL", c.s.VerifyRequest(Request{Method: "POST", URL: url + "/"}, h, body, secrets(c.secret), testNow), ErrSignatureMismatch)
		wantErr(t, c.name+" http instead of https", c.s.VerifyRequest(Request{Method: "POST", URL: "http" + url[5:]}, h, body, secrets(c.secret), testNow), ErrSignatureMismatch)
		wantErr(t, c.name+" changed body", c.s.VerifyRequest(r, h, append(body, ' '), secrets(c.secret), testNow), ErrSignatureMismatch)
		wantErr(t, c.name+" wrong secret", c.s.VerifyRequest(r, h, body, secrets("x"), testNow), ErrSignatureMismatch)
		wantErr(t, c.name+" garbage", c.s.VerifyRequest(r, header(c.s.Header, "!!"), body, secrets(c.secret), testNow), ErrMalformedSignature)
		wantErr(t, c.name+" absent", c.s.VerifyRequest(r, http.Header{}, body, secrets(c.secret), testNow), ErrMissingSignature)
		wantErr(t, c.name+" twice", c.s.VerifyRequest(r, http.Header{http.CanonicalHeaderKey(c.s.Header): {c.sig, c.sig}}, body, secrets(c.secret), testNow), ErrMalformedSignature)
		signed := http.Header{}
		c.s.SignRequest(r, signed, body, []byte(c.secret), testNow)
		if got := signed.Get(c.s.Header); got != c.sig {
			t.Errorf("%s: SignRequest = %q, want %q", c.name, got, c.sig)
		}
		if c.s.Verify(h, body, secrets(c.secret), testNow) == nil {
			t.Errorf("%s: Verify without the URL accepted", c.name)
		}
	}
	if (URLHMAC{Header: "X", Algorithm: SHA256, Encoding: Hex, SignedPayload: "{body}"}).Validate() == nil {
		t.Error("a framing without {url} validates")
	}
}

// Trello's Node signer hashes a JavaScript "binary" string: "a–b😀" is the
// bytes a, 0x13 (U+2013's low byte), b, 0x3d, 0x00 (the surrogates' low bytes).
func TestURLHMACLatin1(t *testing.T) {
	s := URLHMAC{Header: "X-Trello-Webhook", Algorithm: SHA1, Encoding: Base64, SignedPayload: "{body}{url}", Latin1: true}
	body := []byte("a–b😀")
	u := "https://h.example/webhooks/trello"
	m := hmac.New(sha1.New, []byte("k"))
	m.Write(append([]byte{'a', 0x13, 'b', 0x3d, 0x00}, u...))
	h := header(s.Header, base64.StdEncoding.EncodeToString(m.Sum(nil)))
	wantErr(t, "latin1", s.VerifyRequest(Request{URL: u}, h, body, secrets("k"), testNow), nil)
	s.Latin1 = false
	wantErr(t, "latin1 not enabled", s.VerifyRequest(Request{URL: u}, h, body, secrets("k"), testNow), ErrSignatureMismatch)
}
