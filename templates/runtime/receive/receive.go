// Package receive is the receive path of every provider: method and size
// checks, signature verification, event type and id, and the hand-off to
// the Acceptor (schemas are checked later, before the handler runs). The response is written only after the
// Acceptor returned, so an acknowledged event is one the Acceptor holds.
package receive

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/handshake"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/jsondoc"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/middleware"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// DefaultBodyLimit bounds a body when a provider sets none.
const DefaultBodyLimit = 10 << 20

// Acceptor takes verified events. It is the seam between receiving and
// processing: Accept returns only once the event is held (in memory, or
// committed to a store), and reports whether it had been seen before.
type Acceptor interface {
	Accept(ctx context.Context, ev *event.Event) (duplicate bool, err error)
}

// Observer is told the outcome of every delivery (metrics). Reason is a
// short fixed label ("accepted", "duplicate", "signature", ...), never data
// from the request.
type Observer interface {
	Delivery(provider string, status int, reason string, latency time.Duration)
}

// Source is where a value is found: a header, a dotted path into the JSON
// body, or (Present) the name of the first listed field the body has, for
// providers that say what an event is by which field it carries (Telegram).
type Source struct {
	Header  string
	JSON    string
	Present []string
	// Envelope is a dotted path into the whole delivery, for a batching
	// provider whose items do not say their type (Meta's top-level object).
	Envelope string
}

// Provider is everything the receive path needs to know about one provider.
type Provider struct {
	Name    string
	Scheme  verify.Scheme
	Secrets [][]byte
	// TypeFrom and IDFrom are tried in order; the first present value wins.
	TypeFrom []Source
	IDFrom   []Source
	// HashBodyWithoutID dedupes on a SHA-256 of the body when no id source is
	// present; otherwise such a delivery is refused with 400.
	HashBodyWithoutID bool
	// PairHeader names the header in which the provider hands over its
	// signing secret in a handshake (Asana's X-Hook-Secret). The secret is
	// taken only while an operator has a pairing window open, echoed back,
	// and then checks signatures alongside Secrets.
	PairHeader string
	// UniqueWithoutID gives a delivery without an id a fresh one: no dedupe,
	// for providers whose identical bodies are distinct notifications
	// (Dropbox's "something changed"), where processing twice is harmless
	// and dropping one is not.
	UniqueWithoutID bool
	// KeepHeaders are copied into the event for handlers.
	KeepHeaders []string
	BodyLimit   int64
	// Allow, when not empty, lists the only client addresses accepted (403
	// for others), checked before the body is read.
	Allow []netip.Prefix
	// Limit, when set, caps verified deliveries (429 beyond): counted only
	// after the signature checks out, so a stranger cannot spend it.
	Limit *rate.Limiter
	// Handshake, when set, answers the provider's endpoint checks.
	Handshake handshake.Handshake
	// Items, when set, is where a batching provider puts its events ("$":
	// the body is the array); each item becomes an event, and TypeFrom and
	// IDFrom's JSON paths are read in the item.
	Items string
	// Form: the provider posts application/x-www-form-urlencoded bodies
	// (Twilio); a JSON body is still read as JSON.
	Form bool
	// AckBody and AckContentType are the acknowledgement's body when the
	// provider wants a particular one (Twilio: an empty TwiML <Response/>).
	AckBody        []byte
	AckContentType string
	// PublicURL is the service's URL as providers call it (scheme, host and
	// any path prefix), for schemes that sign the URL.
	PublicURL string
	// AckStatus is the status of an acknowledgement when the provider wants
	// a particular one (Discord: 204, no body); 200 with a JSON receipt
	// when zero.
	AckStatus int
}

// Pairing keeps the secrets providers hand over in a handshake (store.Store).
type Pairing interface {
	Pair(ctx context.Context, provider, secret string, now time.Time) (bool, error)
	Secrets(ctx context.Context, provider string) ([][]byte, error)
}

// Options configures a Handler.
type Options struct {
	// Pairing holds handed-over secrets, for providers with a PairHeader.
	Pairing   Pairing
	Providers []*Provider
	Acceptor  Acceptor
	Logger    *slog.Logger
	Observer  Observer
	// Now is the clock for timestamp windows; time.Now when nil.
	Now func() time.Time
}

// Handler serves POST /webhooks/{provider}.
type Handler struct {
	pairing   Pairing
	providers map[string]*Provider
	acceptor  Acceptor
	log       *slog.Logger
	observer  Observer
	now       func() time.Time
}

// New checks the options and returns the handler.
func New(o Options) (*Handler, error) {
	if o.Acceptor == nil {
		return nil, errors.New("receive: no acceptor")
	}
	h := &Handler{
		pairing:   o.Pairing,
		providers: map[string]*Provider{},
		acceptor:  o.Acceptor,
		log:       o.Logger,
		observer:  o.Observer,
		now:       o.Now,
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	for _, p := range o.Providers {
		if p.PairHeader != "" && o.Pairing == nil {
			return nil, fmt.Errorf("receive: provider %s pairs in a handshake, but there is no pairing store", p.Name)
		}
		if len(p.Secrets) == 0 && p.PairHeader == "" {
			return nil, fmt.Errorf("receive: provider %s has no secret", p.Name)
		}
		if len(p.TypeFrom) == 0 || (len(p.IDFrom) == 0 && !p.HashBodyWithoutID && !p.UniqueWithoutID) {
			return nil, fmt.Errorf("receive: provider %s does not say where its event type and id are", p.Name)
		}
		h.providers[p.Name] = p
	}
	return h, nil
}

// outcome is what happened to one delivery, for the response and the log.
type outcome struct {
	status     int
	label      string // the metric's reason: one of a fixed set
	reason     string // short, stable, safe to log: never a payload or a secret
	ev         *event.Event
	dup        bool
	retryAfter time.Duration
	count      int              // events in the delivery (batches have several)
	reply      *handshake.Reply // a handshake's answer, sent as is
	allow      string           // the Allow header of a 405
}

func refuse(status int, label, reason string) outcome {
	return outcome{status: status, label: label, reason: reason}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	name := r.PathValue("provider")
	if name == "" { // mounted without a {provider} pattern
		name = r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	}
	o := h.receive(r, name)
	h.respond(w, o)
	latency := time.Since(start)
	if o.label == "unknown_provider" {
		name = "unknown" // a label per made-up name would let anyone grow the metrics
	}
	if h.observer != nil {
		h.observer.Delivery(name, o.status, o.label, latency)
	}
	attrs := []slog.Attr{
		slog.String("request_id", middleware.RequestID(r.Context())),
		slog.String("client_ip", middleware.ClientIP(r.Context()).String()),
		slog.String("provider", name),
		slog.Int("status", o.status),
		slog.String("outcome", o.reason),
		slog.Duration("latency", latency),
	}
	if o.ev != nil {
		attrs = append(attrs, slog.String("event_type", o.ev.Type), slog.String("event_id", o.ev.ID))
	}
	if o.count > 1 {
		attrs = append(attrs, slog.Int("events", o.count))
	}
	level := slog.LevelInfo
	if o.status >= 500 {
		level = slog.LevelError
	} else if o.status >= 400 {
		level = slog.LevelWarn
	}
	h.log.LogAttrs(r.Context(), level, "webhook delivery", attrs...)
}

func (h *Handler) receive(r *http.Request, name string) outcome {
	p, ok := h.providers[name]
	if !ok {
		return refuse(http.StatusNotFound, "unknown_provider", "unknown provider")
	}
	if len(p.Allow) > 0 && !middleware.Contains(p.Allow, middleware.ClientIP(r.Context())) {
		return refuse(http.StatusForbidden, "ip", "client address not allowed")
	}
	if r.Method != http.MethodPost {
		if p.Handshake != nil {
			if reply, ok := p.Handshake.Before(r); ok {
				return answered(reply)
			}
		}
		o := refuse(http.StatusMethodNotAllowed, "method", "method not allowed")
		o.allow = allowed(p)
		return o
	}
	if p.PairHeader != "" && r.Header.Get(p.PairHeader) != "" {
		return h.pair(r, p)
	}
	received := h.now().UTC()
	body, o, ok := readBody(r, p.BodyLimit)
	if !ok {
		return o
	}
	now := h.now()
	secrets := p.Secrets
	if p.PairHeader != "" {
		paired, err := h.pairing.Secrets(r.Context(), p.Name)
		if err != nil {
			h.log.ErrorContext(r.Context(), "paired secrets unavailable", slog.String("provider", p.Name), slog.Any("error", err))
			return outcome{status: http.StatusServiceUnavailable, label: "store", reason: "store unavailable", retryAfter: 5 * time.Second}
		}
		secrets = append(paired, secrets...)
		if len(secrets) == 0 {
			return refuse(http.StatusUnauthorized, "signature", "signature: not paired yet (server pair "+p.Name+")")
		}
	}
	if err := check(p, r, body, secrets, now); err != nil {
		if errors.Is(err, verify.ErrTimestampExpired) {
			return refuse(http.StatusUnauthorized, "stale", "stale: "+err.Error())
		}
		return refuse(http.StatusUnauthorized, "signature", "signature: "+err.Error())
	}
	if p.Limit != nil {
		if ok, wait := middleware.Take(p.Limit, now); !ok {
			o := refuse(http.StatusTooManyRequests, "rate", "provider rate limit")
			o.retryAfter = wait
			return o
		}
	}
	if p.Form && !isJSON(r) {
		// The signature covered the form as sent; handlers get its fields
		// as a JSON object (one string per field, an array when repeated).
		fields, err := formJSON(body)
		if err != nil {
			return refuse(http.StatusBadRequest, "malformed", "malformed form body")
		}
		body = fields
	}
	doc, err := jsondoc.Decode(body)
	if err != nil {
		return refuse(http.StatusBadRequest, "malformed", "malformed JSON body")
	}
	if p.Handshake != nil {
		if reply, ok := p.Handshake.After(r, doc, p.Secrets); ok {
			return answered(reply)
		}
	}
	evs, o, ok := h.events(p, r, body, doc, received)
	if !ok {
		return o
	}
	dups, err := h.acceptAll(r.Context(), evs)
	if err != nil {
		h.log.ErrorContext(r.Context(), "accept failed", slog.String("provider", p.Name), slog.String("event_id", evs[0].ID), slog.Any("error", err))
		return outcome{status: http.StatusServiceUnavailable, label: "store", reason: "store unavailable", ev: evs[0], count: len(evs), retryAfter: 5 * time.Second}
	}
	o = outcome{status: http.StatusOK, label: "accepted", reason: "accepted", count: len(evs), dup: dups == len(evs) && dups > 0}
	if len(evs) > 0 {
		o.ev = evs[0]
	}
	if p.AckStatus != 0 {
		o.status = p.AckStatus
	}
	if p.AckBody != nil {
		o.reply = &handshake.Reply{Status: o.status, ContentType: p.AckContentType, Body: p.AckBody}
	}
	if o.dup {
		o.label, o.reason = "duplicate", "duplicate"
	}
	return o
}

// events makes the delivery's events: one, or one per item of a batching
// provider (each item is then typed and deduped on its own).
func (h *Handler) events(p *Provider, r *http.Request, body []byte, doc any, received time.Time) ([]*event.Event, outcome, bool) {
	verified := h.now().UTC()
	root := doc
	header := http.Header{}
	for _, k := range p.KeepHeaders {
		if v := r.Header.Values(k); len(v) > 0 {
			header[http.CanonicalHeaderKey(k)] = v
		}
	}
	make1 := func(body []byte, doc any) (*event.Event, outcome, bool) {
		ev := &event.Event{Provider: p.Name, Body: body, ReceivedAt: received, VerifiedAt: verified, Header: header}
		ev.Type = lookup(p.TypeFrom, r.Header, doc, root)
		if ev.Type == "" {
			return nil, refuse(http.StatusBadRequest, "malformed", "event type missing"), false
		}
		ev.ID = lookup(p.IDFrom, r.Header, doc, root)
		if !storable(ev.Type) || !storable(ev.ID) {
			return nil, refuse(http.StatusBadRequest, "malformed", "event type or id is not short UTF-8 text"), false
		}
		switch {
		case ev.ID != "":
		case p.HashBodyWithoutID:
			sum := sha256.Sum256(body)
			ev.ID = "sha256:" + hex.EncodeToString(sum[:])
		case p.UniqueWithoutID:
			var b [16]byte
			_, _ = rand.Read(b[:])
			ev.ID = "unique:" + hex.EncodeToString(b[:])
		default:
			return nil, refuse(http.StatusBadRequest, "malformed", "event id missing"), false
		}
		return ev, outcome{}, true
	}
	if p.Items == "" {
		ev, o, ok := make1(body, doc)
		if !ok {
			return nil, o, false
		}
		return []*event.Event{ev}, outcome{}, true
	}
	raws, docs, ok := items(body, doc, p.Items)
	if !ok {
		return nil, refuse(http.StatusBadRequest, "malformed", "the batch of events is not where the provider puts it"), false
	}
	if len(raws) > maxItems {
		return nil, refuse(http.StatusRequestEntityTooLarge, "size", "too many events in one delivery"), false
	}
	evs := make([]*event.Event, 0, len(raws))
	for i := range raws {
		ev, o, ok := make1(raws[i], docs[i])
		if !ok {
			return nil, o, false
		}
		evs = append(evs, ev)
	}
	return evs, outcome{}, true
}

// maxItems bounds the events of one batched delivery.
const maxItems = 10000

// items finds a batch: the raw bytes of each item (kept exactly as sent,
// for the handler) and its decoded form. path is "$" for a body that is the
// array, else a dotted path to it.
func items(body []byte, doc any, path string) ([][]byte, []any, bool) {
	raw := json.RawMessage(body)
	if path != "$" {
		for _, key := range strings.Split(path, ".") {
			var m map[string]json.RawMessage
			if json.Unmarshal(raw, &m) != nil {
				return nil, nil, false
			}
			raw = m[key]
		}
	}
	var raws []json.RawMessage
	docs, ok := jsondoc.Batch(doc, path)
	if !ok || json.Unmarshal(raw, &raws) != nil || len(raws) != len(docs) {
		return nil, nil, false
	}
	out := make([][]byte, len(raws))
	for i, r := range raws {
		out[i] = r
	}
	return out, docs, true
}

// acceptAll hands every event to the acceptor at once, so a store that
// commits in groups commits a batch together; it returns how many had been
// seen before. Any failure fails the delivery: the provider retries it, and
// the events already held come back as duplicates.
func (h *Handler) acceptAll(ctx context.Context, evs []*event.Event) (dups int, err error) {
	if len(evs) == 1 {
		dup, err := h.acceptor.Accept(ctx, evs[0])
		if dup {
			dups = 1
		}
		return dups, err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, ev := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dup, err := h.acceptor.Accept(ctx, ev)
			mu.Lock()
			defer mu.Unlock()
			if dup {
				dups++
			}
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return dups, errors.Join(errs...)
}

// isJSON reports whether the request says its body is JSON.
func isJSON(r *http.Request) bool {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ct), "application/json")
}

// formJSON turns a form body into a JSON object of its fields.
func formJSON(body []byte) ([]byte, error) {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	doc := make(map[string]any, len(values))
	for k, v := range values {
		if len(v) == 1 {
			doc[k] = v[0]
		} else {
			doc[k] = v
		}
	}
	return json.Marshal(doc)
}

// check verifies a delivery's signature; schemes that sign the URL get the
// URL the provider called.
func check(p *Provider, r *http.Request, body []byte, secrets [][]byte, now time.Time) error {
	if rs, ok := p.Scheme.(verify.RequestScheme); ok {
		u := verify.Request{Method: r.Method, URL: p.PublicURL + r.URL.RequestURI()}
		return rs.VerifyRequest(u, r.Header, body, secrets, now)
	}
	return p.Scheme.Verify(r.Header, body, secrets, now)
}

// pair takes the secret a provider hands over in a handshake, if an
// operator opened a window for it, and echoes it as the provider expects.
func (h *Handler) pair(r *http.Request, p *Provider) outcome {
	secret := r.Header.Get(p.PairHeader)
	if len(secret) > 512 || !storable(secret) {
		return refuse(http.StatusBadRequest, "malformed", "handed-over secret too long or not text")
	}
	ok, err := h.pairing.Pair(r.Context(), p.Name, secret, h.now())
	if err != nil {
		h.log.ErrorContext(r.Context(), "pairing failed", slog.String("provider", p.Name), slog.Any("error", err))
		return outcome{status: http.StatusServiceUnavailable, label: "store", reason: "store unavailable", retryAfter: 5 * time.Second}
	}
	if !ok {
		return refuse(http.StatusForbidden, "signature", "no pairing window is open: run `server pair "+p.Name+"` first")
	}
	return answered(handshake.Reply{Status: http.StatusOK, Header: http.Header{http.CanonicalHeaderKey(p.PairHeader): {secret}}})
}

// answered is the outcome of a handshake: its reply, counted apart from
// events.
func answered(reply handshake.Reply) outcome {
	return outcome{status: reply.Status, label: "handshake", reason: "handshake answered", reply: &reply}
}

// allowed is the Allow header for a provider's route.
func allowed(p *Provider) string {
	methods := []string{http.MethodPost}
	if p.Handshake != nil {
		methods = append(methods, p.Handshake.Methods()...)
	}
	return strings.Join(methods, ", ")
}

// readBody reads at most limit bytes; a larger or slower body is refused
// before it costs more than that.
func readBody(r *http.Request, limit int64) ([]byte, outcome, bool) {
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	tooLarge := refuse(http.StatusRequestEntityTooLarge, "size", "body too large")
	if r.ContentLength > limit {
		return nil, tooLarge, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) {
			return nil, tooLarge, false
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, refuse(http.StatusRequestTimeout, "timeout", "body too slow"), false
		}
		return nil, refuse(http.StatusBadRequest, "malformed", "body unreadable"), false
	}
	if int64(len(body)) > limit {
		return nil, tooLarge, false
	}
	return body, outcome{}, true
}

// storable reports whether an id or type can be a database key as is: valid
// UTF-8 (Postgres refuses anything else), no NUL, at most 512 bytes.
func storable(s string) bool {
	return len(s) <= 512 && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// lookup returns the first non-empty value among sources; doc is the event
// (an item of a batch), root the whole delivery.
func lookup(sources []Source, h http.Header, doc, root any) string {
	for _, s := range sources {
		var v string
		switch {
		case s.Header != "":
			v = strings.TrimSpace(h.Get(s.Header))
		case len(s.Present) > 0:
			m, _ := doc.(map[string]any)
			for _, k := range s.Present {
				if _, ok := m[k]; ok {
					v = k
					break
				}
			}
		case s.Envelope != "":
			v = jsonPaths(root, s.Envelope)
		default:
			v = jsonPaths(doc, s.JSON)
		}
		if v != "" {
			return v
		}
	}
	return ""
}

// jsonPaths is the value at a dotted path, or at several joined by "+"
// (a key made of fields, such as HubSpot's subscriptionId+eventId): their
// values joined by ":", or "" unless all are present.
func jsonPaths(doc any, paths string) string {
	if !strings.Contains(paths, "+") {
		return jsonPath(doc, paths)
	}
	parts := strings.Split(paths, "+")
	for i, p := range parts {
		if parts[i] = jsonPath(doc, p); parts[i] == "" {
			return ""
		}
	}
	return strings.Join(parts, ":")
}

// jsonPath is the string or number at a dotted path, as text, or "".
func jsonPath(doc any, path string) string {
	v, _ := jsondoc.Text(doc, path)
	return v
}

type response struct {
	Received  bool   `json:"received"`
	Duplicate bool   `json:"duplicate,omitempty"`
	ID        string `json:"id,omitempty"`
	Events    int    `json:"events,omitempty"` // of a batch
	Error     string `json:"error,omitempty"`
}

func (h *Handler) respond(w http.ResponseWriter, o outcome) {
	if o.reply != nil {
		for k, v := range o.reply.Header {
			w.Header()[k] = v
		}
		if o.reply.ContentType != "" {
			w.Header().Set("Content-Type", o.reply.ContentType)
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(o.reply.Status)
		_, _ = w.Write(o.reply.Body)
		return
	}
	res := response{}
	if o.status < 300 {
		res = response{Received: true, Duplicate: o.dup, Events: o.count}
		if o.count == 1 {
			res.ID, res.Events = o.ev.ID, 0
		}
	} else {
		res.Error = o.reason
	}
	if o.retryAfter > 0 {
		middleware.RetryAfter(w, o.retryAfter)
	}
	if o.allow != "" {
		w.Header().Set("Allow", o.allow)
	}
	if o.status == http.StatusNoContent {
		w.WriteHeader(o.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(o.status)
	_ = json.NewEncoder(w).Encode(res)
}
