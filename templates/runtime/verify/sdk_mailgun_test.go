package verify

// Mailgun's body signature against mailgun-go's VerifyWebhookSignature,
// and against an HMAC computed here with crypto/hmac over the documented
// timestamp+token (documentation.mailgun.com, "Securing webhooks").

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailgun/mailgun-go/v4"
)

func mailgunScheme() BodySignature {
	return BodySignature{
		Algorithm: SHA256, Encoding: Hex, TimestampField: "signature.timestamp", TokenField: "signature.token",
		SignatureField: "signature.signature", SignedPayload: "{timestamp}{token}", Unit: Seconds, Tolerance: 5 * time.Minute,
	}
}

const mailgunBody = `{"event-data":{"id":"CPgfbmQMTCKtHW6uIWtuVe","event":"delivered","timestamp":1521472262.908181,"recipient":"alice@example.com"}}`

func TestMailgunOurSignaturePassesSDK(t *testing.T) {
	s := mailgunScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	mg := mailgun.NewMailgun("example.com", "key")
	mg.SetWebhookSigningKey("mg-signing-key")
	signed, err := s.SignBody([]byte(mailgunBody), []byte("mg-signing-key"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	var payload mailgun.WebhookPayload
	if err := json.Unmarshal(signed, &payload); err != nil {
		t.Fatal(err)
	}
	if ok, err := mg.VerifyWebhookSignature(payload.Signature); !ok || err != nil {
		t.Fatalf("mailgun-go refuses our signature: %v", err)
	}
	other := payload.Signature
	other.Token = strings.Repeat("a", 50)
	if ok, _ := mg.VerifyWebhookSignature(other); ok {
		t.Fatal("mailgun-go accepts another token: this test proves nothing")
	}
	wantErr(t, "ours", s.Verify(nil, signed, secrets("mg-signing-key"), testNow), nil)
	if !strings.Contains(string(signed), `"event-data"`) || payload.Signature.TimeStamp != "1700000000" || len(payload.Signature.Token) != 50 {
		t.Fatalf("signed body %s", signed)
	}
	proven(t, "mailgun", bySDK, "github.com/mailgun/mailgun-go/v4 VerifyWebhookSignature")
}

func TestMailgunIndependentSignature(t *testing.T) {
	s := mailgunScheme()
	ts := strconv.FormatInt(testNow.Unix(), 10)
	token := "c22bd6bfa4b31bcae60c8b7ba9e63f4e25a9cd5f34cc27ed7a"
	m := hmac.New(sha256.New, []byte("key-4e034d9e6a3b0a7c1b2a"))
	m.Write([]byte(ts + token))
	body := `{"signature":{"timestamp":"` + ts + `","token":"` + token + `","signature":"` + hex.EncodeToString(m.Sum(nil)) + `"},` + mailgunBody[1:]
	key := secrets("key-4e034d9e6a3b0a7c1b2a")
	wantErr(t, "hand-made", s.Verify(nil, []byte(body), key, testNow), nil)
	wantErr(t, "stale", s.Verify(nil, []byte(body), key, testNow.Add(6*time.Minute)), ErrTimestampExpired)
	wantErr(t, "wrong key", s.Verify(nil, []byte(body), secrets("other"), testNow), ErrSignatureMismatch)
	wantErr(t, "other token", s.Verify(nil, []byte(strings.Replace(body, token, token[:49]+"0", 1)), key, testNow), ErrSignatureMismatch)
	wantErr(t, "numeric timestamp", s.Verify(nil, []byte(strings.Replace(body, `"timestamp":"`+ts+`"`, `"timestamp":`+ts, 1)), key, testNow), nil)
	wantErr(t, "no signature", s.Verify(nil, []byte(mailgunBody), key, testNow), ErrMissingSignature)
	wantErr(t, "not JSON", s.Verify(nil, []byte("timestamp=1&token=2&signature=3"), key, testNow), ErrMissingSignature)
	wantErr(t, "not hex", s.Verify(nil, []byte(`{"signature":{"timestamp":"1","token":"t","signature":"zz"}}`), key, testNow), ErrMalformedSignature)
	wantErr(t, "no timestamp", s.Verify(nil, []byte(`{"signature":{"token":"t","signature":"00"}}`), key, testNow), ErrMalformedSignature)
	if _, err := s.SignBody([]byte(`[1]`), []byte("k"), testNow); err == nil {
		t.Error("SignBody signed a JSON array")
	}
}
