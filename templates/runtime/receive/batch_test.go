package receive

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// memory is an Acceptor that remembers ids.
type memory struct {
	mu  sync.Mutex
	evs map[string]*event.Event
}

func (m *memory) Accept(_ context.Context, ev *event.Event) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.evs[ev.ID]; ok {
		return true, nil
	}
	m.evs[ev.ID] = ev
	return false, nil
}

func batchHandler(t *testing.T, items string, typeFrom, idFrom []Source, hash bool) (*Handler, *memory, verify.HMAC) {
	t.Helper()
	scheme := verify.HMAC{Header: "X-Sig", Algorithm: verify.SHA256, Encoding: verify.Hex}
	m := &memory{evs: map[string]*event.Event{}}
	h, err := New(Options{
		Providers: []*Provider{{Name: "batch", Scheme: scheme, Secrets: [][]byte{[]byte("k")},
			TypeFrom: typeFrom, IDFrom: idFrom, HashBodyWithoutID: hash, Items: items}},
		Acceptor: m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, m, scheme
}

func deliver(t *testing.T, h *Handler, scheme verify.HMAC, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/webhooks/batch", strings.NewReader(body))
	r.SetPathValue("provider", "batch")
	scheme.Sign(r.Header, []byte(body), []byte("k"), time.Now())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

func TestBatchRootArray(t *testing.T) {
	// SendGrid's shape: the body is the array; type and id are in each item.
	h, m, s := batchHandler(t, "$", []Source{{JSON: "event"}}, []Source{{JSON: "sg_event_id"}}, false)
	body := `[{"event":"delivered","sg_event_id":"a1","email":"x@example.com"},` + "\n" + ` {"event":"open","sg_event_id":"a2"}]`
	code, out := deliver(t, h, s, body)
	if code != 200 || out["events"] != float64(2) || out["duplicate"] == true {
		t.Fatalf("%d %v", code, out)
	}
	if string(m.evs["a1"].Body) != `{"event":"delivered","sg_event_id":"a1","email":"x@example.com"}` || m.evs["a2"].Type != "open" {
		t.Fatalf("items not kept exactly: %q %+v", m.evs["a1"].Body, m.evs["a2"])
	}
	// The same batch again: every item a duplicate.
	if code, out := deliver(t, h, s, body); code != 200 || out["duplicate"] != true {
		t.Fatalf("redelivery: %d %v", code, out)
	}
	// One new item among known ones is not a duplicate delivery.
	if code, out := deliver(t, h, s, `[{"event":"open","sg_event_id":"a2"},{"event":"click","sg_event_id":"a3"}]`); code != 200 || out["duplicate"] == true || len(m.evs) != 3 {
		t.Fatalf("mixed: %d %v (%d held)", code, out, len(m.evs))
	}
}

func TestBatchNestedPathAndHeaders(t *testing.T) {
	// Okta's shape: data.events[], the id in each item; the type may come
	// from a header for every item.
	h, m, s := batchHandler(t, "data.events", []Source{{JSON: "eventType"}}, []Source{{JSON: "uuid"}}, false)
	code, out := deliver(t, h, s, `{"eventType":"com.okta.event_hook","data":{"events":[{"uuid":"u1","eventType":"user.session.start"}]}}`)
	if code != 200 || out["id"] != "u1" || m.evs["u1"].Type != "user.session.start" {
		t.Fatalf("%d %v", code, out)
	}
	for _, bad := range []string{`{"data":{}}`, `{"data":{"events":{}}}`, `{"data":[]}`, `[]`, `{"data":{"events":[{"uuid":"u2"}]}}`} {
		if code, out := deliver(t, h, s, bad); code != http.StatusBadRequest {
			t.Errorf("%s: %d %v, want 400", bad, code, out)
		}
	}
	if code, _ := deliver(t, h, s, `{"data":{"events":[]}}`); code != 200 {
		t.Errorf("an empty batch: %d, want 200 (nothing to lose)", code)
	}
}

func TestBatchHashesItemsWithoutID(t *testing.T) {
	h, m, s := batchHandler(t, "entry", []Source{{JSON: "object"}}, nil, true)
	code, out := deliver(t, h, s, `{"object":"page","entry":[{"object":"page","id":"1","time":1},{"object":"page","id":"1","time":2}]}`)
	if code != 200 || len(m.evs) != 2 {
		t.Fatalf("%d %v: %d events held, want 2 (distinct items, distinct hashes)", code, out, len(m.evs))
	}
}

func TestCompositeID(t *testing.T) {
	// HubSpot's shape: an array; eventId alone is not unique, so the key is
	// subscriptionId+eventId.
	h, m, s := batchHandler(t, "$", []Source{{JSON: "subscriptionType"}}, []Source{{JSON: "subscriptionId+eventId"}}, false)
	code, out := deliver(t, h, s, `[{"eventId":100,"subscriptionId":7,"subscriptionType":"contact.creation"},{"eventId":100,"subscriptionId":8,"subscriptionType":"contact.deletion"}]`)
	if code != 200 || len(m.evs) != 2 || m.evs["7:100"] == nil || m.evs["8:100"].Type != "contact.deletion" {
		t.Fatalf("%d %v: %v", code, out, m.evs)
	}
	if code, _ := deliver(t, h, s, `[{"eventId":101,"subscriptionType":"contact.creation"}]`); code != http.StatusBadRequest {
		t.Fatalf("a key with a missing part: %d, want 400", code)
	}
}

func TestUniqueIDWithoutOne(t *testing.T) {
	s := verify.HMAC{Header: "X-Sig", Algorithm: verify.SHA256, Encoding: verify.Hex}
	m := &memory{evs: map[string]*event.Event{}}
	h, err := New(Options{
		Providers: []*Provider{{Name: "batch", Scheme: s, Secrets: [][]byte{[]byte("k")},
			TypeFrom: []Source{{Present: []string{"list_folder", "delta"}}}, UniqueWithoutID: true}},
		Acceptor: m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]}}`
	for range 2 {
		if code, out := deliver(t, h, s, body); code != 200 || out["duplicate"] == true {
			t.Fatalf("%d %v", code, out)
		}
	}
	if len(m.evs) != 2 {
		t.Fatalf("%d events held, want 2: identical notifications are both kept", len(m.evs))
	}
	for _, ev := range m.evs {
		if ev.Type != "list_folder" || !strings.HasPrefix(ev.ID, "unique:") {
			t.Fatalf("%+v", ev)
		}
	}
}

// pairings is an in-memory Pairing with a window flag.
type pairings struct {
	open    bool
	secrets [][]byte
}

func (p *pairings) Pair(_ context.Context, _, secret string, _ time.Time) (bool, error) {
	if !p.open {
		return false, nil
	}
	p.open = false
	p.secrets = append([][]byte{[]byte(secret)}, p.secrets...)
	return true, nil
}

func (p *pairings) Secrets(context.Context, string) ([][]byte, error) { return p.secrets, nil }

// Asana's handshake: X-Hook-Secret handed over, echoed, then used.
func TestPairingHandshake(t *testing.T) {
	scheme := verify.HMAC{Header: "X-Hook-Signature", Algorithm: verify.SHA256, Encoding: verify.Hex}
	pr := &pairings{}
	m := &memory{evs: map[string]*event.Event{}}
	h, err := New(Options{Pairing: pr, Acceptor: m, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Providers: []*Provider{{Name: "asana", Scheme: scheme, PairHeader: "X-Hook-Secret", Items: "events",
			TypeFrom: []Source{{JSON: "action"}}, IDFrom: []Source{{JSON: "user.gid+created_at"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	post := func(h2 http.Header, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/webhooks/asana", strings.NewReader(body))
		r.SetPathValue("provider", "asana")
		for k, v := range h2 {
			r.Header[k] = v
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	hello := http.Header{"X-Hook-Secret": {"b537207f20cbfa02357cf448134da559"}}
	if w := post(hello, ""); w.Code != http.StatusForbidden {
		t.Fatalf("handshake without a window: %d", w.Code)
	}
	signed := func(secret, body string) http.Header {
		h2 := http.Header{}
		scheme.Sign(h2, []byte(body), []byte(secret), time.Now())
		return h2
	}
	body := `{"events":[{"action":"changed","user":{"gid":"1"},"created_at":"2026-11-29T08:00:00.000Z","resource":{"gid":"2","resource_type":"task"}}]}`
	if w := post(signed("b537207f20cbfa02357cf448134da559", body), body); w.Code != http.StatusUnauthorized {
		t.Fatalf("event before pairing: %d", w.Code)
	}
	pr.open = true
	w := post(hello, "")
	if w.Code != 200 || w.Header().Get("X-Hook-Secret") != "b537207f20cbfa02357cf448134da559" {
		t.Fatalf("handshake: %d %v", w.Code, w.Header())
	}
	if w := post(http.Header{"X-Hook-Secret": {"attacker"}}, ""); w.Code != http.StatusForbidden {
		t.Fatalf("a second handshake in the same window: %d", w.Code)
	}
	if w := post(signed("b537207f20cbfa02357cf448134da559", body), body); w.Code != 200 || len(m.evs) != 1 {
		t.Fatalf("event after pairing: %d %s", w.Code, w.Body)
	}
	if w := post(signed("attacker", body), body); w.Code != http.StatusUnauthorized {
		t.Fatalf("event signed with a refused secret: %d", w.Code)
	}
	if w := post(signed("b537207f20cbfa02357cf448134da559", `{"events":[]}`), `{"events":[]}`); w.Code != 200 {
		t.Fatalf("heartbeat: %d", w.Code)
	}
}
