package verify

// Twilio's scheme against twilio-go's RequestValidator (client package):
// its own test vector (client/request_validator_test.go), its verifier on
// our signatures, the JSON-body variant (bodySHA256 in the URL) and the
// port quirk (Twilio may sign the URL with or without :443).

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	twilio "github.com/twilio/twilio-go/client"
)

func twilioScheme() URLHMAC {
	return URLHMAC{
		Header: "X-Twilio-Signature", Algorithm: SHA1, Encoding: Base64,
		SignedPayload: "{url}{params}", EitherPort: true, BodyHashParam: "bodySHA256",
	}
}

// From twilio-go client/request_validator_test.go (v1.31.0).
const (
	twilioToken     = "12345"
	twilioURL       = "https://mycompany.com/myapp.php?foo=1&bar=2"
	twilioSignature = "vOEb5UThFn24KEfnOFLQY2AE5FY="
)

var twilioParams = map[string]string{
	"Digits": "1234", "CallSid": "CA1234567890ABCDE", "To": "+18005551212", "Caller": "+14158675309",
	"From": "+14158675309", "ReasonConferenceEnded": "test", "Reason": "Participant",
}

func formOf(params map[string]string) []byte {
	v := url.Values{}
	for k, p := range params {
		v.Set(k, p)
	}
	return []byte(v.Encode())
}

func TestTwilioSDKVector(t *testing.T) {
	s := twilioScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	v := twilio.NewRequestValidator(twilioToken)
	if !v.Validate(twilioURL, twilioParams, twilioSignature) {
		t.Fatal("twilio-go refuses its own vector")
	}
	body := formOf(twilioParams)
	r := Request{Method: http.MethodPost, URL: twilioURL}
	h := header("X-Twilio-Signature", twilioSignature)
	wantErr(t, "sdk vector", s.VerifyRequest(r, h, body, secrets(twilioToken), testNow), nil)
	wantErr(t, "sdk vector, URL with :443", s.VerifyRequest(Request{URL: "https://mycompany.com:443/myapp.php?foo=1&bar=2"}, h, body, secrets(twilioToken), testNow), nil)
	changed := map[string]string{}
	for k, p := range twilioParams {
		changed[k] = p
	}
	changed["Digits"] = "1235"
	wantErr(t, "changed parameter", s.VerifyRequest(r, h, formOf(changed), secrets(twilioToken), testNow), ErrSignatureMismatch)
	wantErr(t, "other URL", s.VerifyRequest(Request{URL: "https://mycompany.com/myapp.php?foo=1&bar=3"}, h, body, secrets(twilioToken), testNow), ErrSignatureMismatch)
	wantErr(t, "wrong token", s.VerifyRequest(r, h, body, secrets("54321"), testNow), ErrSignatureMismatch)

	signed := http.Header{}
	s.SignRequest(r, signed, body, []byte(twilioToken), testNow)
	if got := signed.Get("X-Twilio-Signature"); got != twilioSignature {
		t.Errorf("SignRequest = %q, twilio-go's vector %q", got, twilioSignature)
	}
}

func TestTwilioOurSignaturePassesSDK(t *testing.T) {
	s := twilioScheme()
	v := twilio.NewRequestValidator("auth-token-xyz")
	params := map[string]string{"MessageSid": "SM1", "SmsStatus": "received", "Body": "héllo & ünïcode +", "From": "+15005550006", "To": "+15005550001"}
	for _, u := range []string{"https://hooks.example.com/webhooks/twilio", "https://hooks.example.com:8443/webhooks/twilio?x=1"} {
		h := http.Header{}
		s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, formOf(params), []byte("auth-token-xyz"), testNow)
		sig := h.Get("X-Twilio-Signature")
		if !v.Validate(u, params, sig) {
			t.Errorf("%s: twilio-go refuses our signature", u)
		}
		params2 := map[string]string{}
		for k, p := range params {
			params2[k] = p
		}
		params2["Body"] = "changed"
		if v.Validate(u, params2, sig) {
			t.Fatal("twilio-go accepts changed parameters: this test proves nothing")
		}
	}
	// JSON bodies: the URL carries the body's SHA-256 and only the URL is signed.
	body := []byte(`{"property": "value", "boolean": true}`)
	sum := sha256.Sum256(body)
	u := "https://hooks.example.com/webhooks/twilio?bodySHA256=" + hex.EncodeToString(sum[:])
	h := http.Header{}
	s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, body, []byte("auth-token-xyz"), testNow)
	if !v.ValidateBody(u, body, h.Get("X-Twilio-Signature")) {
		t.Error("twilio-go refuses our JSON-body signature")
	}
	wantErr(t, "json body", s.VerifyRequest(Request{URL: u}, h, body, secrets("auth-token-xyz"), testNow), nil)
	wantErr(t, "json body changed", s.VerifyRequest(Request{URL: u}, h, append(body, ' '), secrets("auth-token-xyz"), testNow), ErrSignatureMismatch)
	proven(t, "twilio", bySDK, "github.com/twilio/twilio-go/client RequestValidator")
}
