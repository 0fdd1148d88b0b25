package verify

// Paddle Billing's Paddle-Signature ("ts=<unix>;h1=<hex>" over
// "<ts>:<body>") against paddle-go-sdk's WebhookVerifier, with its replay
// check set to our definition's tolerance. The SDK checks the clock against
// time.Now, so these tests sign at time.Now. The SDK does not sign; the
// Paddle-signs direction is the SDK's own vector in conformance.json.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	paddle "github.com/PaddleHQ/paddle-go-sdk/v4"
)

const (
	paddleSecret = "pdl_ntfset_01hsdn8d43dt7mezr1ef2jtbaw_secretsecretsecretsecret"
	paddleBody   = `{"event_id":"evt_01hsdn97563968dy0szkmgjwh3","event_type":"transaction.completed","occurred_at":"2024-03-20T10:07:35.590857Z","notification_id":"ntf_01hsdn977e920kbgzt6r6c9rqc","data":{"id":"txn_01hsdn96k2hxjzsq5yerecdj9j","status":"completed"}}`
)

func paddleSDK(h http.Header, body []byte, secret string, tolerance time.Duration) (bool, error) {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/paddle", bytes.NewReader(body))
	req.Header = h.Clone()
	return paddle.NewWebhookVerifier(secret, paddle.VerifierWithTimestampTolerance(tolerance)).Verify(req)
}

func TestPaddleOurSignaturePassesPaddleSDK(t *testing.T) {
	def := definitionScheme(t, "paddle")
	s := def.(TimestampedHMAC)
	if s.Tolerance != 5*time.Second {
		t.Fatalf("definition tolerance %v; this test assumes 5 s", s.Tolerance)
	}
	body := []byte(paddleBody)
	now := time.Now()
	h := signedAt(s, body, paddleSecret, now)
	if ok, err := paddleSDK(h, body, paddleSecret, s.Tolerance); !ok || err != nil {
		t.Fatalf("paddle-go-sdk refuses our signature %q: %v, %v", h.Get("Paddle-Signature"), ok, err)
	}
	wantErr(t, "ours", def.Verify(h, body, secrets(paddleSecret), now), nil)

	// 3 s old is inside 5 s for both of us.
	recent := signedAt(s, body, paddleSecret, now.Add(-3*time.Second))
	if ok, err := paddleSDK(recent, body, paddleSecret, s.Tolerance); !ok || err != nil {
		t.Errorf("3 s old: paddle-go-sdk = %v, %v", ok, err)
	}
	wantErr(t, "3 s old", def.Verify(recent, body, secrets(paddleSecret), now), nil)

	changed := bytes.Replace(body, []byte("completed\"}"), []byte("completes\"}"), 1)
	for _, c := range []struct {
		name   string
		h      http.Header
		body   []byte
		secret string
		want   error // ours
		sdk    error // nil: (false, nil), a mismatch
	}{
		{"changed byte", h, changed, paddleSecret, ErrSignatureMismatch, nil},
		{"wrong secret", h, body, paddleSecret + "x", ErrSignatureMismatch, nil},
		{"stale (30 s)", signedAt(s, body, paddleSecret, now.Add(-30*time.Second)), body, paddleSecret, ErrTimestampExpired, paddle.ErrReplayAttack},
		{"future (30 s)", signedAt(s, body, paddleSecret, now.Add(30*time.Second)), body, paddleSecret, ErrTimestampExpired, paddle.ErrReplayAttack},
	} {
		wantErr(t, c.name, def.Verify(c.h, c.body, secrets(c.secret), now), c.want)
		if ok, err := paddleSDK(c.h, c.body, c.secret, s.Tolerance); ok || !errors.Is(err, c.sdk) {
			t.Errorf("%s: paddle-go-sdk = %v, %v; want false, %v", c.name, ok, err, c.sdk)
		}
	}
	proven(t, "paddle", bySDK, "github.com/PaddleHQ/paddle-go-sdk/v4@v4.1.0 WebhookVerifier.Verify")
}
