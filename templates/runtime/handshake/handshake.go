// Package handshake answers the requests providers send to prove an
// endpoint is theirs before (or between) deliveries: a GET challenge to
// echo, a signed setup message that wants a particular answer. A handshake
// is answered, counted and logged, but never stored as an event.
package handshake

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"unicode/utf8"
)

// Reply is the answer to a handshake.
type Reply struct {
	Status      int
	ContentType string
	Body        []byte
	Header      http.Header // more headers to send (Asana's X-Hook-Secret echo)
}

// Handshake is one provider's handshake. Before sees requests whose method
// is not POST, before their body is read; After sees POSTs whose signature
// checked out, with the decoded JSON body. Either returns ok=false when the
// request is not a handshake.
type Handshake interface {
	// Methods lists the methods besides POST the handshake answers.
	Methods() []string
	Before(r *http.Request) (reply Reply, ok bool)
	After(r *http.Request, doc any, secrets [][]byte) (reply Reply, ok bool)
}

// maxChallenge bounds what is echoed back: challenges are short tokens.
const maxChallenge = 512

func text(s string) Reply {
	return Reply{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte(s)}
}

func jsonReply(v any) Reply {
	b, _ := json.Marshal(v)
	return Reply{Status: http.StatusOK, ContentType: "application/json", Body: b}
}

func refused(status int, why string) Reply {
	b, _ := json.Marshal(map[string]any{"received": false, "error": why})
	return Reply{Status: status, ContentType: "application/json", Body: b}
}

// field returns a top-level string field of a JSON object.
func field(doc any, path ...string) (string, bool) {
	for _, k := range path {
		m, ok := doc.(map[string]any)
		if !ok {
			return "", false
		}
		doc = m[k]
	}
	s, ok := doc.(string)
	return s, ok
}

// echoable reports whether a challenge can be sent back as is.
func echoable(s string) bool {
	return s != "" && len(s) <= maxChallenge && utf8.ValidString(s)
}

// none is embedded by handshakes that have only one of the two halves.
type none struct{}

func (none) Methods() []string                                { return nil }
func (none) Before(*http.Request) (Reply, bool)               { return Reply{}, false }
func (none) After(*http.Request, any, [][]byte) (Reply, bool) { return Reply{}, false }

// Slack answers the Events API's url_verification: a signed POST of
// {"type":"url_verification","challenge":"..."} wants the challenge back
// (api.slack.com/events/url_verification).
type Slack struct{ none }

func (Slack) After(_ *http.Request, doc any, _ [][]byte) (Reply, bool) {
	if t, _ := field(doc, "type"); t != "url_verification" {
		return Reply{}, false
	}
	c, _ := field(doc, "challenge")
	if !echoable(c) {
		return refused(http.StatusBadRequest, "challenge missing or too long"), true
	}
	return jsonReply(map[string]string{"challenge": c}), true
}

// Zoom answers endpoint.url_validation: the signed event carries
// payload.plainToken and wants it back with its HMAC-SHA256 under the
// secret token, hex (developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint).
type Zoom struct{ none }

func (Zoom) After(_ *http.Request, doc any, secrets [][]byte) (Reply, bool) {
	if e, _ := field(doc, "event"); e != "endpoint.url_validation" {
		return Reply{}, false
	}
	plain, _ := field(doc, "payload", "plainToken")
	if !echoable(plain) || len(secrets) == 0 {
		return refused(http.StatusBadRequest, "plainToken missing or too long"), true
	}
	// The first secret is the current one; while rotating Zoom validates
	// against the new token.
	m := hmac.New(sha256.New, secrets[0])
	m.Write([]byte(plain))
	return jsonReply(map[string]string{"plainToken": plain, "encryptedToken": hex.EncodeToString(m.Sum(nil))}), true
}

// Twitch answers EventSub's webhook_callback_verification: the signed POST
// wants its challenge as text/plain (dev.twitch.tv/docs/eventsub/handling-webhook-events).
type Twitch struct{ none }

func (Twitch) After(r *http.Request, doc any, _ [][]byte) (Reply, bool) {
	if r.Header.Get("Twitch-Eventsub-Message-Type") != "webhook_callback_verification" {
		return Reply{}, false
	}
	c, _ := field(doc, "challenge")
	if !echoable(c) {
		return refused(http.StatusBadRequest, "challenge missing or too long"), true
	}
	return text(c), true
}

// Meta answers the Graph API's subscription check: GET
// ?hub.mode=subscribe&hub.verify_token=<yours>&hub.challenge=<n> wants the
// challenge when the verify token is the one configured, and 403 otherwise
// (developers.facebook.com/docs/graph-api/webhooks/getting-started).
type Meta struct {
	none
	VerifyTokens [][]byte
}

func (Meta) Methods() []string { return []string{http.MethodGet} }

func (m Meta) Before(r *http.Request) (Reply, bool) {
	if r.Method != http.MethodGet {
		return Reply{}, false
	}
	q := r.URL.Query()
	if q.Get("hub.mode") != "subscribe" {
		return refused(http.StatusBadRequest, "not a subscription check"), true
	}
	token := []byte(q.Get("hub.verify_token"))
	ok := 0
	for _, want := range m.VerifyTokens {
		ok |= subtle.ConstantTimeCompare(token, want)
	}
	if ok != 1 {
		return refused(http.StatusForbidden, "verify token does not match"), true
	}
	c := q.Get("hub.challenge")
	if !echoable(c) {
		return refused(http.StatusBadRequest, "challenge missing or too long"), true
	}
	return text(c), true
}

// Dropbox answers the endpoint check: GET ?challenge=<x> wants x back as
// text/plain with nosniff (developers.dropbox.com/detecting-changes-guide).
type Dropbox struct{ none }

func (Dropbox) Methods() []string { return []string{http.MethodGet} }

func (Dropbox) Before(r *http.Request) (Reply, bool) {
	if r.Method != http.MethodGet {
		return Reply{}, false
	}
	c := r.URL.Query().Get("challenge")
	if !echoable(c) {
		return refused(http.StatusBadRequest, "challenge missing or too long"), true
	}
	return text(c), true
}

// Okta answers an event hook's one-time verification: GET with
// X-Okta-Verification-Challenge wants {"verification": <value>}
// (developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request).
type Okta struct{ none }

func (Okta) Methods() []string { return []string{http.MethodGet} }

func (Okta) Before(r *http.Request) (Reply, bool) {
	if r.Method != http.MethodGet {
		return Reply{}, false
	}
	c := r.Header.Get("X-Okta-Verification-Challenge")
	if !echoable(c) {
		return refused(http.StatusBadRequest, "verification challenge missing or too long"), true
	}
	return jsonReply(map[string]string{"verification": c}), true
}

// Trello checks a callback URL with a HEAD request when the webhook is
// created, and wants a 200 (developer.atlassian.com/cloud/trello/guides/rest-api/webhooks).
type Trello struct{ none }

func (Trello) Methods() []string { return []string{http.MethodHead} }

func (Trello) Before(r *http.Request) (Reply, bool) {
	if r.Method != http.MethodHead {
		return Reply{}, false
	}
	return Reply{Status: http.StatusOK}, true
}

// DiscordPing answers the PING (type 0) Discord sends to a Webhook Events
// URL, signed like events, with an empty 204
// (discord.com/developers/docs/events/webhook-events#acknowledging-ping-requests).
type DiscordPing struct{ none }

func (DiscordPing) After(_ *http.Request, doc any, _ [][]byte) (Reply, bool) {
	m, ok := doc.(map[string]any)
	if !ok {
		return Reply{}, false
	}
	if n, ok := m["type"].(json.Number); !ok || n.String() != "0" {
		return Reply{}, false
	}
	return Reply{Status: http.StatusNoContent}, true
}
