package verify

// Resend delivers through Svix (svix-id, svix-timestamp, svix-signature;
// "v1,<base64>" over "{id}.{timestamp}.{body}", secret "whsec_<base64>").
// Our signature goes to Resend's own Go SDK, resend-go's Webhooks.Verify,
// which checks the clock against time.Now (300 s either way), so these tests
// sign at time.Now. The SDK does not sign; the Svix libraries' signatures
// are checked against us in sdk_standardwebhooks_test.go.

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/resend/resend-go/v2"
)

const (
	resendSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	resendBody   = `{"type":"email.delivered","created_at":"2024-11-22T23:41:12.126Z","data":{"email_id":"56761188-7520-42d8-8898-ff6fc54ce618","to":["delivered@resend.dev"]}}`
)

func resendSDK(h http.Header, body []byte, secret string) error {
	return resend.NewClient("re_test_key").Webhooks.Verify(&resend.VerifyWebhookOptions{
		Payload: string(body),
		Headers: resend.WebhookHeaders{
			Id: h.Get("svix-id"), Timestamp: h.Get("svix-timestamp"), Signature: h.Get("svix-signature"),
		},
		WebhookSecret: secret,
	})
}

func TestResendOurSignaturePassesResendGo(t *testing.T) {
	s := definitionScheme(t, "resend").(TimestampedHMAC)
	key := func(secret string) []byte {
		k, err := DecodeSecrets(WhsecBase64, secrets(secret))
		if err != nil {
			t.Fatal(err)
		}
		return k[0]
	}
	const otherSecret = "whsec_dGhlLW90aGVyLXNlY3JldC1rZXktMzItYnl0ZXMh"
	body := []byte(resendBody)
	now := time.Now()
	signAt := func(secret string, at time.Time) http.Header {
		h := http.Header{}
		h.Set("svix-id", "msg_2pJzVf3ZTkY9V8Yq1o6xL2RbYcN")
		s.Sign(h, body, key(secret), at)
		return h
	}
	h := signAt(resendSecret, now)
	if err := resendSDK(h, body, resendSecret); err != nil {
		t.Fatalf("resend-go refuses our signature: %v", err)
	}
	wantErr(t, "ours", s.Verify(h, body, [][]byte{key(resendSecret)}, now), nil)

	// While a secret rotates, both signatures travel space-separated.
	rotating := h.Clone()
	rotating.Set("svix-signature", signAt(otherSecret, now).Get("svix-signature")+" "+h.Get("svix-signature"))
	for _, secret := range []string{resendSecret, otherSecret} {
		if err := resendSDK(rotating, body, secret); err != nil {
			t.Errorf("rotating: resend-go refuses under one of the secrets: %v", err)
		}
		wantErr(t, "rotating", s.Verify(rotating, body, [][]byte{key(secret)}, now), nil)
	}

	changed := bytes.Replace(body, []byte("delivered@"), []byte("delivereD@"), 1)
	otherID := h.Clone()
	otherID.Set("svix-id", "msg_other")
	for _, c := range []struct {
		name   string
		h      http.Header
		body   []byte
		secret string
		want   error // ours
	}{
		{"changed byte", h, changed, resendSecret, ErrSignatureMismatch},
		{"wrong secret", h, body, otherSecret, ErrSignatureMismatch},
		{"other message id", otherID, body, resendSecret, ErrSignatureMismatch},
		{"stale (6 min)", signAt(resendSecret, now.Add(-6*time.Minute)), body, resendSecret, ErrTimestampExpired},
		{"future (6 min)", signAt(resendSecret, now.Add(6*time.Minute)), body, resendSecret, ErrTimestampExpired},
	} {
		wantErr(t, c.name, s.Verify(c.h, c.body, [][]byte{key(c.secret)}, now), c.want)
		if err := resendSDK(c.h, c.body, c.secret); err == nil {
			t.Errorf("%s: resend-go accepts", c.name)
		}
	}
	proven(t, "resend", bySDK, "github.com/resend/resend-go/v2@v2.28.0 Webhooks.Verify")
}
