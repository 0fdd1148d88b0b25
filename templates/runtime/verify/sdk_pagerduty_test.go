package verify

// PagerDuty v3 webhooks' X-PagerDuty-Signature ("v1=<hex>", comma-separated
// while a secret rotates) against go-pagerduty's webhookv3.VerifySignature.
// The SDK does not export its signer, so only our signature goes to it; the
// PagerDuty-signs direction is the SDK's own vector in conformance.json.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/PagerDuty/go-pagerduty/webhookv3"
)

const (
	pagerdutySecret = "pd-webhook-secret"
	pagerdutyBody   = `{"event":{"id":"01DEN1HNLBC1VITUZWQZTGQGPH","event_type":"incident.triggered","resource_type":"incident","occurred_at":"2020-10-02T18:45:22.169Z","data":{"id":"PGR0VU2","type":"incident"}}}`
)

func pagerdutySDK(h http.Header, body []byte, secret string) error {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/pagerduty", bytes.NewReader(body))
	req.Header = h.Clone()
	return webhookv3.VerifySignature(req, secret)
}

func TestPagerdutyOurSignaturePassesGoPagerduty(t *testing.T) {
	s := definitionScheme(t, "pagerduty")
	body := []byte(pagerdutyBody)
	sign := func(secret string) string {
		h := http.Header{}
		s.Sign(h, body, []byte(secret), testNow)
		return h.Get("X-PagerDuty-Signature")
	}
	current, old := sign(pagerdutySecret), sign("pd-old-secret")
	rotating := header("X-PagerDuty-Signature", old+","+current)
	changed := bytes.Replace(body, []byte("PGR0VU2"), []byte("PGR0VU3"), 1)
	for _, c := range []struct {
		name   string
		h      http.Header
		body   []byte
		secret string
		want   error // ours
		sdk    error
	}{
		{"our signature", header("X-PagerDuty-Signature", current), body, pagerdutySecret, nil, nil},
		{"rotating, new secret", rotating, body, pagerdutySecret, nil, nil},
		{"rotating, old secret", rotating, body, "pd-old-secret", nil, nil},
		{"changed byte", header("X-PagerDuty-Signature", current), changed, pagerdutySecret, ErrSignatureMismatch, webhookv3.ErrNoValidSignatures},
		{"wrong secret", header("X-PagerDuty-Signature", current), body, pagerdutySecret + "x", ErrSignatureMismatch, webhookv3.ErrNoValidSignatures},
		{"rotating, neither secret", rotating, body, "pd-other", ErrSignatureMismatch, webhookv3.ErrNoValidSignatures},
		{"no v1= entry", header("X-PagerDuty-Signature", current[len("v1="):]), body, pagerdutySecret, ErrMalformedSignature, webhookv3.ErrMalformedHeader},
	} {
		wantErr(t, c.name, s.Verify(c.h, c.body, secrets(c.secret), testNow), c.want)
		if err := pagerdutySDK(c.h, c.body, c.secret); !errors.Is(err, c.sdk) {
			t.Errorf("%s: go-pagerduty VerifySignature = %v, want %v", c.name, err, c.sdk)
		}
	}
	proven(t, "pagerduty", bySDK, "github.com/PagerDuty/go-pagerduty@v1.8.0 webhookv3.VerifySignature")
}
