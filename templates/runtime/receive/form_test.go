package receive

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// A Twilio-like provider: a form body, signed with the public URL, answered
// with TwiML.
func TestFormBodyURLSignatureAndAckBody(t *testing.T) {
	scheme := verify.URLHMAC{Header: "X-Twilio-Signature", Algorithm: verify.SHA1, Encoding: verify.Base64, SignedPayload: "{url}{params}", EitherPort: true, BodyHashParam: "bodySHA256"}
	m := &memory{evs: map[string]*event.Event{}}
	h, err := New(Options{
		Providers: []*Provider{{Name: "twilio", Scheme: scheme, Secrets: [][]byte{[]byte("token")}, Form: true,
			PublicURL: "https://hooks.example.com", TypeFrom: []Source{{JSON: "MessageStatus"}, {JSON: "SmsStatus"}},
			IDFrom:  []Source{{Header: "I-Twilio-Idempotency-Token"}, {JSON: "MessageSid+SmsStatus"}},
			AckBody: []byte("<Response/>"), AckContentType: "text/xml"}},
		Acceptor: m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"MessageSid": {"SM1"}, "SmsStatus": {"received"}, "Body": {"hi & bye"}, "MediaUrl0": {"a", "b"}}.Encode()
	send := func(path, body, signedURL string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.SetPathValue("provider", "twilio")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		scheme.SignRequest(verify.Request{Method: "POST", URL: signedURL}, r.Header, []byte(body), []byte("token"), time.Now())
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := send("/webhooks/twilio?x=1", form, "https://hooks.example.com/webhooks/twilio?x=1")
	if w.Code != 200 || w.Body.String() != "<Response/>" || w.Header().Get("Content-Type") != "text/xml" {
		t.Fatalf("%d %q %q", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	ev := m.evs["SM1:received"]
	if ev == nil || ev.Type != "received" || string(ev.Body) != `{"Body":"hi \u0026 bye","MediaUrl0":["a","b"],"MessageSid":"SM1","SmsStatus":"received"}` {
		t.Fatalf("stored %+v", ev)
	}
	// Signed for another URL (the proxy's internal one): refused.
	if w := send("/webhooks/twilio", form, "http://10.0.0.5:8080/webhooks/twilio"); w.Code != http.StatusUnauthorized {
		t.Fatalf("internal URL signed: %d", w.Code)
	}
	if w := send("/webhooks/twilio", "%zz", "https://hooks.example.com/webhooks/twilio"); w.Code != http.StatusBadRequest {
		t.Fatalf("malformed form: %d", w.Code)
	}
}
