package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// riverJobs counts the River jobs of inbox events.
func riverJobs(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'webhook_event'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A handler held up and a memory queue with room for two waiting events,
// by count or by bytes: the events beyond what waits in memory get River
// jobs in their accept, and every event runs exactly once.
func TestMemoryQueueOverflowGoesToRiver(t *testing.T) {
	big := `{"pad":"` + strings.Repeat("x", 10_000) + `"}`
	for _, c := range []struct {
		name  string
		limit func(*Options)
		body  string
	}{
		{"count", func(o *Options) { o.MemoryQueue = 2 }, ""},
		{"bytes", func(o *Options) { o.MemoryQueueBytes = 3 * (512 + int64(len(big))) }, big},
	} {
		t.Run(c.name, func(t *testing.T) {
			dialects(t, func(t *testing.T, o Options) {
				release := make(chan struct{})
				h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
					<-release
					return nil
				}}
				o.Workers = 1
				c.limit(&o)
				s := open(t, o, h)
				ctx := context.Background()
				const n = 12
				for i := range n {
					ev := newEvent(fmt.Sprintf("evt_%d", i), "a")
					if c.body != "" {
						ev.Body = []byte(c.body)
					}
					if _, err := s.Accept(ctx, ev); err != nil {
						t.Fatal(err)
					}
				}
				// One event runs (its room freed), two wait in memory: at least 9 overflowed.
				if jobs := riverJobs(t, s); jobs < n-3 {
					t.Fatalf("%d River jobs for %d events with room for 3 in memory", jobs, n)
				}
				close(release)
				for i := range n {
					waitFor(t, s, fmt.Sprintf("evt_%d", i), inState(Processed))
				}
				time.Sleep(200 * time.Millisecond)
				for i := range n {
					if c := h.count(fmt.Sprintf("evt_%d", i)); c != 1 {
						t.Errorf("evt_%d ran %d times, want 1", i, c)
					}
				}
			})
		})
	}
}

// A process that dies with events in memory: they are in the inbox, waiting
// without a job, and the rescue runs them after RescueAfter (by whichever
// replica leads, on Postgres).
func TestRescueRunsEventsLeftInMemory(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		o.Processor = &handler{calls: map[string]int{}}
		ctx := context.Background()
		dead, err := Open(ctx, o) // never started: nothing runs what it accepts
		if err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if dup, err := dead.Accept(ctx, newEvent(fmt.Sprintf("evt_left_%d", i), "a")); err != nil || dup {
				t.Fatalf("accept: %v %v", dup, err)
			}
		}
		dead.closeDBs() // as if killed: no Stop, no hand-over

		h := &handler{calls: map[string]int{}}
		o.JobTimeout, o.RescueAfter = time.Second, 2*time.Second
		s := open(t, o, h)
		for i := range 5 {
			waitFor(t, s, fmt.Sprintf("evt_left_%d", i), inState(Processed))
		}
		for i := range 5 {
			if c := h.count(fmt.Sprintf("evt_left_%d", i)); c != 1 {
				t.Errorf("evt_left_%d ran %d times, want 1", i, c)
			}
		}
		// Events accepted by the running service are not rescued from it.
		if _, err := s.Accept(ctx, newEvent("evt_live", "a")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, s, "evt_live", inState(Processed))
		if jobs := riverJobs(t, s); jobs != 5 {
			t.Fatalf("%d River jobs, want 5 (the rescued events only)", jobs)
		}
	})
}

// Stop while events wait in memory: the running handler finishes, the rest
// get River jobs, and the service's next run runs them once.
func TestStopHandsWaitingEventsToRiver(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		started := make(chan struct{}, 1)
		var slow atomic.Bool
		slow.Store(true)
		h := &handler{calls: map[string]int{}, fail: func(ev *event.Event, call int) error {
			if slow.Load() {
				started <- struct{}{}
				time.Sleep(300 * time.Millisecond)
			}
			return nil
		}}
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		o.Processor = h
		o.Workers = 1
		ctx := context.Background()
		s := start(t, o)
		for i := range 4 {
			if _, err := s.Accept(ctx, newEvent(fmt.Sprintf("evt_wait_%d", i), "a")); err != nil {
				t.Fatal(err)
			}
		}
		<-started
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		slow.Store(false)

		s2 := open(t, o, h)
		for i := range 4 {
			waitFor(t, s2, fmt.Sprintf("evt_wait_%d", i), inState(Processed))
		}
		for i := range 4 {
			if c := h.count(fmt.Sprintf("evt_wait_%d", i)); c != 1 {
				t.Errorf("evt_wait_%d ran %d times, want 1", i, c)
			}
		}
		if jobs := riverJobs(t, s2); jobs != 3 {
			t.Fatalf("%d River jobs, want 3 (the events still waiting at Stop)", jobs)
		}
	})
}

// Stop's deadline passes while a handler runs: the handler is cancelled,
// which is not an attempt (with one attempt allowed, the event is not
// dead-lettered), and Stop returns even though the handler ignores its
// cancellation for a while; the next run processes the event.
func TestStopDeadlineIsNotAnAttempt(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		started := make(chan struct{}, 1)
		var first atomic.Bool
		first.Store(true)
		h := &handler{calls: map[string]int{}}
		proc := processorFunc(func(ctx context.Context, ev *event.Event) error {
			h.Process(ctx, ev)
			if first.CompareAndSwap(true, false) {
				started <- struct{}{}
				<-ctx.Done()
				time.Sleep(5 * time.Second) // ignores the cancellation past Stop's grace
				return ctx.Err()
			}
			return nil
		})
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		o.Processor = proc
		o.MaxAttempts = func(string, string) int { return 1 }
		o.JobTimeout, o.RescueAfter = time.Second, 2*time.Second
		o.PollInterval = 20 * time.Millisecond
		ctx := context.Background()
		s := start(t, o)
		if _, err := s.Accept(ctx, newEvent("evt_interrupted", "a")); err != nil {
			t.Fatal(err)
		}
		<-started
		stopCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		begin := time.Now()
		s.Stop(stopCtx)
		if d := time.Since(begin); d > 4*time.Second {
			t.Fatalf("Stop took %v with a 200ms deadline", d)
		}

		o.Processor = h
		s2 := open(t, o, h)
		rec := waitFor(t, s2, "evt_interrupted", inState(Processed))
		if n := h.count("evt_interrupted"); n != 2 || rec.State != Processed {
			t.Fatalf("ran %d times, state %s; want 2 runs (the interrupted one, then the rescued one) and processed", n, rec.State)
		}
	})
}

// A panic in the check is recovered like a handler's: the event is retried,
// then dead-lettered with the panic as its reason, and the process lives.
func TestCheckPanicIsRecovered(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		h := &handler{calls: map[string]int{}}
		o.Check = func(ev *event.Event) error {
			if ev.ID == "evt_panic" {
				panic("validator bug")
			}
			return nil
		}
		s := open(t, o, h)
		if _, err := s.Accept(context.Background(), newEvent("evt_panic", "a")); err != nil {
			t.Fatal(err)
		}
		rec := waitFor(t, s, "evt_panic", inState(Dead))
		if !strings.Contains(rec.Reason, "validator bug") || rec.Attempts != 3 || h.count("evt_panic") != 0 {
			t.Fatalf("dead after %d attempts with %q, handler ran %d times; want 3 attempts naming the panic and no handler run",
				rec.Attempts, rec.Reason, h.count("evt_panic"))
		}
	})
}

type processorFunc func(ctx context.Context, ev *event.Event) error

func (f processorFunc) Process(ctx context.Context, ev *event.Event) error { return f(ctx, ev) }
