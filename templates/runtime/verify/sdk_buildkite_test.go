package verify

// Buildkite's X-Buildkite-Signature ("timestamp=<unix>,signature=<hex>"
// over "<timestamp>.<body>") against go-buildkite's ValidatePayload. The
// SDK does not export its signer, so only our signature goes to it; the
// Buildkite-signs direction is the SDK's own vector in conformance.json.

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/buildkite/go-buildkite/v4"
)

const (
	buildkiteSecret = "bk-webhook-token"
	buildkiteBody   = `{"event":"build.finished","build":{"id":"f62a1b4d-10f9-4790-bc1c-e2c3a0c80983","number":42,"state":"passed"},"sender":{"name":"Keith Pitt"}}`
)

func buildkiteSDK(h http.Header, body []byte, secret string) ([]byte, error) {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/buildkite", bytes.NewReader(body))
	req.Header = h.Clone()
	return buildkite.ValidatePayload(req, []byte(secret))
}

func TestBuildkiteOurSignaturePassesGoBuildkite(t *testing.T) {
	s := definitionScheme(t, "buildkite")
	body := []byte(buildkiteBody)
	h := http.Header{}
	s.Sign(h, body, []byte(buildkiteSecret), testNow)
	if got := h.Get("X-Buildkite-Signature"); !strings.HasPrefix(got, "timestamp=1700000000,signature=") {
		t.Fatalf("Sign = %q", got)
	}
	payload, err := buildkiteSDK(h, body, buildkiteSecret)
	if err != nil || !bytes.Equal(payload, body) {
		t.Fatalf("go-buildkite ValidatePayload refuses our signature: %v", err)
	}
	wantErr(t, "ours", s.Verify(h, body, secrets(buildkiteSecret), testNow), nil)

	changed := bytes.Replace(body, []byte("passed"), []byte("passes"), 1)
	otherTime := header("X-Buildkite-Signature", strings.Replace(h.Get("X-Buildkite-Signature"), "1700000000", "1700000001", 1))
	for _, c := range []struct {
		name   string
		h      http.Header
		body   []byte
		secret string
	}{
		{"changed byte", h, changed, buildkiteSecret},
		{"wrong secret", h, body, buildkiteSecret + "x"},
		{"other timestamp", otherTime, body, buildkiteSecret},
	} {
		if _, err := buildkiteSDK(c.h, c.body, c.secret); err == nil {
			t.Errorf("%s: go-buildkite accepts", c.name)
		}
		wantErr(t, c.name, s.Verify(c.h, c.body, secrets(c.secret), testNow), ErrSignatureMismatch)
	}

	// go-buildkite checks no timestamp; we refuse one outside 300 s either way.
	stale := signedAt(s.(TimestampedHMAC), body, buildkiteSecret, testNow.Add(-6*time.Minute))
	future := signedAt(s.(TimestampedHMAC), body, buildkiteSecret, testNow.Add(6*time.Minute))
	wantErr(t, "stale", s.Verify(stale, body, secrets(buildkiteSecret), testNow), ErrTimestampExpired)
	wantErr(t, "future", s.Verify(future, body, secrets(buildkiteSecret), testNow), ErrTimestampExpired)
	_, staleErr := buildkiteSDK(stale, body, buildkiteSecret)
	t.Logf("go-buildkite on a signature 6 min old: %v (ours: refused)", staleErr)
	proven(t, "buildkite", bySDK, "github.com/buildkite/go-buildkite/v4@v4.23.0 ValidatePayload")
}
