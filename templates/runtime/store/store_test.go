package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store/storetest"
)

// dialects runs f against SQLite, and against Postgres when TEST_DATABASE_URL is set.
func dialects(t *testing.T, f func(t *testing.T, o Options)) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		url, dir := b.Fresh(t)
		f(t, Options{DatabaseURL: url, DataDir: dir})
	})
}

// handler is a test processor: it counts calls per event and fails as told.
type handler struct {
	mu    sync.Mutex
	calls map[string]int
	fail  func(ev *event.Event, call int) error
}

func (h *handler) Process(ctx context.Context, ev *event.Event) error {
	h.mu.Lock()
	h.calls[ev.ID]++
	n := h.calls[ev.ID]
	fail := h.fail
	h.mu.Unlock()
	if fail != nil {
		return fail(ev, n)
	}
	return nil
}

func (h *handler) count(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[id]
}

func open(t *testing.T, o Options, h *handler) *Store {
	t.Helper()
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Processor = h
	o.RetryBase = 20 * time.Millisecond
	o.PollInterval = 20 * time.Millisecond
	o.MaxAttempts = func(provider, typ string) int { return 3 }
	s := start(t, o)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return s
}

// start opens and starts a store as o says; stopping it is the test's.
func start(t *testing.T, o Options) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func newEvent(id, typ string) *event.Event {
	now := time.Now()
	return &event.Event{Provider: "stripe", ID: id, Type: typ, Body: []byte(`{"id":"` + id + `"}`),
		Header: map[string][]string{"Content-Type": {"application/json"}}, ReceivedAt: now, VerifiedAt: now}
}

// waitFor polls the event's record until cond holds.
func waitFor(t *testing.T, s *Store, eventID string, cond func(*Record) bool) *Record {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		recs, err := s.List(context.Background(), Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.EventID == eventID && cond(r) {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("event %s never reached the expected state: %+v", eventID, recs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func inState(st State) func(*Record) bool { return func(r *Record) bool { return r.State == st } }

func TestAcceptProcessOnceAndDuplicates(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}}
		s := open(t, o, h)
		ev := newEvent("evt_1", "payment_intent.succeeded")
		dup, err := s.Accept(context.Background(), ev)
		if err != nil || dup {
			t.Fatalf("first accept: dup=%v err=%v", dup, err)
		}
		rec := waitFor(t, s, "evt_1", inState(Processed))
		if string(rec.Body) != string(ev.Body) || rec.Header.Get("Content-Type") != "application/json" || rec.Attempts != 1 {
			t.Fatalf("record does not hold what was accepted: %+v", rec)
		}
		dup, err = s.Accept(context.Background(), newEvent("evt_1", "payment_intent.succeeded"))
		if err != nil || !dup {
			t.Fatalf("second accept: dup=%v err=%v, want a duplicate", dup, err)
		}
		time.Sleep(200 * time.Millisecond)
		if n := h.count("evt_1"); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
	})
}

// 200 deliveries of one event at the same moment: one record, one handler
// call (from the memory queue: no River job), and every caller told it was
// stored.
func TestConcurrentDuplicates(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}}
		s := open(t, o, h)
		var wg sync.WaitGroup
		var firsts, dups atomic.Int32
		errs := make(chan error, 200)
		start := make(chan struct{})
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				dup, err := s.Accept(context.Background(), newEvent("evt_same", "payment_intent.succeeded"))
				switch {
				case err != nil:
					errs <- err
				case dup:
					dups.Add(1)
				default:
					firsts.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("accept: %v", err)
		}
		if firsts.Load() != 1 || dups.Load() != 199 {
			t.Fatalf("%d first deliveries and %d duplicates, want 1 and 199", firsts.Load(), dups.Load())
		}
		waitFor(t, s, "evt_same", inState(Processed))
		time.Sleep(300 * time.Millisecond)
		if n := h.count("evt_same"); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
		var jobs int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'webhook_event'`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM webhook_event`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if jobs != 0 || rows != 1 {
			t.Fatalf("%d River jobs and %d rows, want 0 and 1", jobs, rows)
		}
	})
}

func TestRetriesThenSuccess(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
			if call <= 2 {
				return fmt.Errorf("flaky dependency (call %d)", call)
			}
			return nil
		}}
		s := open(t, o, h)
		if _, err := s.Accept(context.Background(), newEvent("evt_flaky", "invoice.payment_failed")); err != nil {
			t.Fatal(err)
		}
		rec := waitFor(t, s, "evt_flaky", inState(Processed))
		if n := h.count("evt_flaky"); n != 3 || rec.Attempts != 3 {
			t.Fatalf("handler ran %d times (attempts %d), want 3", n, rec.Attempts)
		}
	})
}

func TestDeadLetterAndReplay(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		var fixed atomic.Bool
		h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
			if fixed.Load() {
				return nil
			}
			return errors.New("bug in the handler")
		}}
		s := open(t, o, h)
		if _, err := s.Accept(context.Background(), newEvent("evt_bad", "invoice.payment_failed")); err != nil {
			t.Fatal(err)
		}
		rec := waitFor(t, s, "evt_bad", inState(Dead))
		if n := h.count("evt_bad"); n != 3 || rec.Reason != "bug in the handler" {
			t.Fatalf("dead after %d calls with reason %q, want 3 and the handler's error", n, rec.Reason)
		}
		fixed.Store(true)
		n, err := s.Replay(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("replay: %d, %v", n, err)
		}
		waitFor(t, s, "evt_bad", inState(Processed))
		if n := h.count("evt_bad"); n != 4 {
			t.Fatalf("handler ran %d times in all, want 4", n)
		}
		if _, err := s.Replay(context.Background(), rec.ID); err == nil {
			t.Fatal("replayed a processed event")
		}
		if _, err := s.Replay(context.Background(), 999999); !errors.Is(err, ErrNotFound) {
			t.Fatalf("replay of a missing id: %v", err)
		}
	})
}

func TestUnknownTypeIgnoredPermanentDeadInvalidKept(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
			switch ev.Type {
			case "unknown.type":
				return event.ErrUnknownType
			case "bad.payload":
				return event.Permanent(errors.New("does not decode"))
			}
			return nil
		}}
		o.Check = func(ev *event.Event) error {
			if ev.ID == "evt_invalid" {
				return errors.New("schema: /data: expected object")
			}
			return nil
		}
		s := open(t, o, h)
		ctx := context.Background()
		s.Accept(ctx, newEvent("evt_unknown", "unknown.type"))
		s.Accept(ctx, newEvent("evt_perm", "bad.payload"))
		s.Accept(ctx, newEvent("evt_invalid", "payment_intent.succeeded"))
		waitFor(t, s, "evt_unknown", inState(Ignored))
		waitFor(t, s, "evt_perm", inState(Dead))
		rec := waitFor(t, s, "evt_invalid", inState(Dead))
		if rec.Reason != "schema: /data: expected object" || rec.Attempts != 1 {
			t.Fatalf("invalid event's reason %q after %d attempts, want the check's error after 1", rec.Reason, rec.Attempts)
		}
		time.Sleep(200 * time.Millisecond)
		if h.count("evt_unknown") != 1 || h.count("evt_perm") != 1 || h.count("evt_invalid") != 0 {
			t.Fatalf("calls: unknown %d (want 1), permanent %d (want 1), invalid %d (want 0)",
				h.count("evt_unknown"), h.count("evt_perm"), h.count("evt_invalid"))
		}
		counts, err := s.Counts(ctx)
		if err != nil || counts[Ignored] != 1 || counts[Dead] != 2 {
			t.Fatalf("counts %v %v", counts, err)
		}
	})
}

func TestPurgeKeepsRecentAndUnfinished(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
			if ev.ID == "evt_dead" {
				return event.Permanent(errors.New("x"))
			}
			return nil
		}}
		s := open(t, o, h)
		ctx := context.Background()
		s.Accept(ctx, newEvent("evt_done", "a"))
		s.Accept(ctx, newEvent("evt_dead", "a"))
		waitFor(t, s, "evt_done", inState(Processed))
		waitFor(t, s, "evt_dead", inState(Dead))
		if n, err := s.Purge(ctx, time.Hour); err != nil || n != 0 {
			t.Fatalf("purge of recent events deleted %d (%v)", n, err)
		}
		time.Sleep(10 * time.Millisecond)
		if n, err := s.Purge(ctx, time.Millisecond); err != nil || n != 1 {
			t.Fatalf("purge deleted %d (%v), want the processed one only", n, err)
		}
		if recs, _ := s.List(ctx, Filter{}); len(recs) != 1 || recs[0].EventID != "evt_dead" {
			t.Fatalf("left %+v, want only the dead event", recs)
		}
	})
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := Open(context.Background(), Options{DatabaseURL: "mysql://x"})
	if err == nil {
		t.Fatal("mysql URL accepted")
	}
}
