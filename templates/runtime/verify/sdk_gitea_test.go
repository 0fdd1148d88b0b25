package verify

// Gitea's X-Gitea-Signature (hex HMAC-SHA256 of the body) against Gitea's
// own Go SDK (code.gitea.io/sdk/gitea VerifyWebhookSignature and its
// middleware) and go-playground/webhooks' gitea parser, which checks the
// MAC before it parses. Neither signs, so only our signature goes to them;
// the Gitea-signs direction is the derived vector in conformance.json.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"code.gitea.io/sdk/gitea"
	giteahook "github.com/go-playground/webhooks/v6/gitea"
)

const (
	giteaSecret = "gitea-webhook-secret"
	giteaBody   = `{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000","after":"f4c1e5a8b2d3c4e5f6a7b8c9d0e1f2a3b4c5d6e7","repository":{"full_name":"octo/hello"}}`
)

func TestGiteaOurSignaturePassesGiteaSDKs(t *testing.T) {
	s := definitionScheme(t, "gitea")
	body := []byte(giteaBody)
	h := http.Header{}
	s.Sign(h, body, []byte(giteaSecret), testNow)
	sig := h.Get("X-Gitea-Signature")
	changed := bytes.Replace(body, []byte("main"), []byte("maim"), 1)
	wantErr(t, "ours", s.Verify(h, body, secrets(giteaSecret), testNow), nil)
	wantErr(t, "ours, changed byte", s.Verify(h, changed, secrets(giteaSecret), testNow), ErrSignatureMismatch)

	// Gitea's SDK.
	for _, c := range []struct {
		name   string
		body   []byte
		secret string
		want   bool
	}{
		{"our signature", body, giteaSecret, true},
		{"changed byte", changed, giteaSecret, false},
		{"wrong secret", body, giteaSecret + "x", false},
	} {
		ok, err := gitea.VerifyWebhookSignature(c.secret, sig, c.body)
		if ok != c.want || err != nil {
			t.Errorf("gitea SDK VerifyWebhookSignature, %s = %v, %v; want %v", c.name, ok, err, c.want)
		}
		// The same through the SDK's middleware, as a receiver would use it.
		reached := false
		mw := gitea.VerifyWebhookSignatureMiddleware(c.secret)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
		req := httptest.NewRequest(http.MethodPost, "/webhooks/gitea", bytes.NewReader(c.body))
		req.Header = h.Clone()
		rec := httptest.NewRecorder()
		mw.ServeHTTP(rec, req)
		if reached != c.want {
			t.Errorf("gitea SDK middleware, %s: status %d, reached handler %v; want %v", c.name, rec.Code, reached, c.want)
		}
	}

	// go-playground/webhooks verifies before it parses.
	for _, c := range []struct {
		name   string
		body   []byte
		secret string
		want   error
	}{
		{"our signature", body, giteaSecret, nil},
		{"changed byte", changed, giteaSecret, giteahook.ErrHMACVerificationFailed},
		{"wrong secret", body, giteaSecret + "x", giteahook.ErrHMACVerificationFailed},
	} {
		hook, err := giteahook.New(giteahook.Options.Secret(c.secret))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/gitea", bytes.NewReader(c.body))
		req.Header = h.Clone()
		req.Header.Set("X-Gitea-Event", "push")
		payload, err := hook.Parse(req, giteahook.PushEvent)
		if !errors.Is(err, c.want) {
			t.Errorf("go-playground gitea Parse, %s = %v, want %v", c.name, err, c.want)
		}
		if c.want == nil {
			if p, ok := payload.(giteahook.PushPayload); !ok || p.Ref != "refs/heads/main" {
				t.Errorf("go-playground gitea Parse payload = %#v", payload)
			}
		}
	}
	proven(t, "gitea", bySDK, "code.gitea.io/sdk/gitea@v0.25.1 VerifyWebhookSignature, VerifyWebhookSignatureMiddleware")
	proven(t, "gitea", bySDK, "github.com/go-playground/webhooks/v6@v6.4.0 gitea.Webhook.Parse")
}
