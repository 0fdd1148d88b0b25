package handshake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber() // as jsondoc.Decode does
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func post(header ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/x", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

func wantReply(t *testing.T, what string, got Reply, ok bool, status int, contentType, body string) {
	t.Helper()
	if !ok {
		t.Fatalf("%s: not answered as a handshake", what)
	}
	if got.Status != status || got.ContentType != contentType || (body != "" && string(got.Body) != body) {
		t.Fatalf("%s: got %d %q %q, want %d %q %q", what, got.Status, got.ContentType, got.Body, status, contentType, body)
	}
}

func TestSlack(t *testing.T) {
	// The request of api.slack.com/events/url_verification.
	doc := decode(t, `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	r, ok := Slack{}.After(post(), doc, nil)
	wantReply(t, "url_verification", r, ok, 200, "application/json", `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`)
	if _, ok := (Slack{}).After(post(), decode(t, `{"type":"event_callback","event_id":"Ev1"}`), nil); ok {
		t.Fatal("an event was taken for a handshake")
	}
	r, ok = Slack{}.After(post(), decode(t, `{"type":"url_verification"}`), nil)
	wantReply(t, "no challenge", r, ok, 400, "application/json", "")
}

func TestZoom(t *testing.T) {
	doc := decode(t, `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`)
	secret := []byte("zoom-secret-token")
	r, ok := Zoom{}.After(post(), doc, [][]byte{secret, []byte("old")})
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
	want := `{"encryptedToken":"` + hex.EncodeToString(m.Sum(nil)) + `","plainToken":"qgg8vlvZRS6UYooatFL8Aw"}`
	wantReply(t, "url_validation", r, ok, 200, "application/json", want)
	if _, ok := (Zoom{}).After(post(), decode(t, `{"event":"meeting.started","payload":{}}`), [][]byte{secret}); ok {
		t.Fatal("an event was taken for a handshake")
	}
}

func TestTwitch(t *testing.T) {
	// The body of dev.twitch.tv/docs/eventsub/handling-webhook-events (Responding to a challenge request).
	doc := decode(t, `{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"2"}}`)
	r, ok := Twitch{}.After(post("Twitch-Eventsub-Message-Type", "webhook_callback_verification"), doc, nil)
	wantReply(t, "challenge", r, ok, 200, "text/plain; charset=utf-8", "pogchamp-kappa-360noscope-vohiyo")
	if _, ok := (Twitch{}).After(post("Twitch-Eventsub-Message-Type", "notification"), doc, nil); ok {
		t.Fatal("a notification was taken for a handshake")
	}
}

func TestDiscordPing(t *testing.T) {
	r, ok := DiscordPing{}.After(post(), decode(t, `{"version":1,"application_id":"1234560123453231555","type":0}`), nil)
	wantReply(t, "ping", r, ok, 204, "", "")
	for _, body := range []string{`{"type":1,"event":{}}`, `{"type":"0"}`, `[0]`, `{"type":0.0}`} {
		if _, ok := (DiscordPing{}).After(post(), decode(t, body), nil); ok {
			t.Errorf("%s taken for a PING", body)
		}
	}
}

func TestMeta(t *testing.T) {
	m := Meta{VerifyTokens: [][]byte{[]byte("meatyhamhock")}}
	get := func(q string) *http.Request { return httptest.NewRequest(http.MethodGet, "/webhooks/meta?"+q, nil) }
	// The request of developers.facebook.com/docs/graph-api/webhooks/getting-started.
	r, ok := m.Before(get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock"))
	wantReply(t, "subscribe", r, ok, 200, "text/plain; charset=utf-8", "1158201444")
	r, ok = m.Before(get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong"))
	wantReply(t, "wrong token", r, ok, 403, "application/json", "")
	r, ok = m.Before(get("hub.mode=subscribe&hub.challenge=1158201444"))
	wantReply(t, "no token", r, ok, 403, "application/json", "")
	r, ok = m.Before(get("hub.challenge=1"))
	wantReply(t, "no mode", r, ok, 400, "application/json", "")
	r, ok = m.Before(get("hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge=" + strings.Repeat("a", maxChallenge+1)))
	wantReply(t, "huge challenge", r, ok, 400, "application/json", "")
	if _, ok := m.Before(httptest.NewRequest(http.MethodHead, "/webhooks/meta", nil)); ok {
		t.Fatal("HEAD answered")
	}
	if (Meta{}).Methods()[0] != http.MethodGet {
		t.Fatal("Meta does not declare GET")
	}
}

func TestDropboxOktaTrello(t *testing.T) {
	r, ok := Dropbox{}.Before(httptest.NewRequest(http.MethodGet, "/webhooks/dropbox?challenge=abc123", nil))
	wantReply(t, "dropbox", r, ok, 200, "text/plain; charset=utf-8", "abc123")
	r, ok = Dropbox{}.Before(httptest.NewRequest(http.MethodGet, "/webhooks/dropbox", nil))
	wantReply(t, "dropbox without challenge", r, ok, 400, "application/json", "")

	get := httptest.NewRequest(http.MethodGet, "/webhooks/okta", nil)
	get.Header.Set("X-Okta-Verification-Challenge", "2ZaQTvOzBPNGi6B7jQ5dX6GO5O5shTVZxTjHCmcJ")
	r, ok = Okta{}.Before(get)
	wantReply(t, "okta", r, ok, 200, "application/json", `{"verification":"2ZaQTvOzBPNGi6B7jQ5dX6GO5O5shTVZxTjHCmcJ"}`)
	// A challenge cannot break out of its JSON string.
	get.Header.Set("X-Okta-Verification-Challenge", `"},"x":"`)
	r, _ = Okta{}.Before(get)
	var v map[string]string
	if err := json.Unmarshal(r.Body, &v); err != nil || v["verification"] != `"},"x":"` || len(v) != 1 {
		t.Fatalf("okta reply %s", r.Body)
	}

	r, ok = Trello{}.Before(httptest.NewRequest(http.MethodHead, "/webhooks/trello", nil))
	wantReply(t, "trello", r, ok, 200, "", "")
	if _, ok := (Trello{}).Before(httptest.NewRequest(http.MethodGet, "/webhooks/trello", nil)); ok {
		t.Fatal("trello answers GET")
	}
	if !bytes.Equal(r.Body, nil) {
		t.Fatal("HEAD reply has a body")
	}
}
