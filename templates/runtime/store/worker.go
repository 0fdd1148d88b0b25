package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// ProcessArgs is the River job of one inbox event. Attempted counts the
// handler runs made before the job existed (a first run from the memory
// queue), so that attempts and the backoff continue where they were.
type ProcessArgs struct {
	EventID   int64 `json:"event_id"`
	Attempted int   `json:"attempted,omitempty"`
}

// Kind implements river.JobArgs.
func (ProcessArgs) Kind() string { return "webhook_event" }

type processWorker struct {
	river.WorkerDefaults[ProcessArgs]
	s *Store
}

// Work runs the event's handler and records the outcome: processed or
// ignored (group-committed with other workers' outcomes; River then
// completes the job), failed (River retries with backoff), or dead (out of
// attempts, or a permanent error).
func (w *processWorker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	s := w.s
	rec, err := s.Get(ctx, job.Args.EventID)
	if errors.Is(err, ErrNotFound) {
		return river.JobCancel(fmt.Errorf("event %d is no longer in the inbox", job.Args.EventID))
	}
	if err != nil {
		return err
	}
	if rec.State == Processed || rec.State == Ignored || rec.State == Dead {
		return nil // a job run again after its outcome was recorded: River completes it
	}
	attempt := job.Attempt + job.Args.Attempted
	st, perr := s.run(ctx, rec.Event(), attempt, job.MaxAttempts+job.Args.Attempted)
	switch st {
	case Processed, Ignored:
		return s.finish(ctx, rec.ID, attempt, st, reasonOf(perr))
	case Dead:
		if err := s.setState(ctx, rec.ID, Dead, perr.Error(), attempt); err != nil {
			return err // River retries; the next attempt records it
		}
		return river.JobCancel(perr)
	default:
		if err := s.setState(ctx, rec.ID, Failed, perr.Error(), attempt); err != nil {
			return errors.Join(perr, err)
		}
		return perr
	}
}

// run calls the event's handler, logs and observes the outcome, and returns
// what becomes of the event: Processed, Ignored (no handler for its type),
// Dead (a permanent error, or out of attempts) or Failed (to be retried),
// with the handler's error.
func (s *Store) run(ctx context.Context, ev *event.Event, attempt, maxAttempts int) (State, error) {
	start := time.Now()
	perr := s.safeProcess(ctx, ev)
	latency := time.Since(start)
	attrs := []slog.Attr{slog.String("provider", ev.Provider), slog.String("event_type", ev.Type),
		slog.String("event_id", ev.ID), slog.Int("attempt", attempt), slog.Duration("latency", latency)}
	var st State
	switch {
	case perr == nil:
		s.log.LogAttrs(ctx, slog.LevelInfo, "event processed", attrs...)
		st = Processed
	case errors.Is(perr, event.ErrUnknownType):
		s.log.LogAttrs(ctx, slog.LevelInfo, "event ignored: no handler for its type", attrs...)
		st = Ignored
	case event.IsPermanent(perr) || attempt >= maxAttempts:
		s.log.LogAttrs(ctx, slog.LevelError, "event dead-lettered", append(attrs, slog.String("error", perr.Error()))...)
		st = Dead
	default:
		s.log.LogAttrs(ctx, slog.LevelWarn, "event handler failed; will retry", append(attrs, slog.String("error", perr.Error()))...)
		st = Failed
	}
	if s.opts.Observer != nil {
		outcome := string(st)
		if st == Failed {
			outcome = "retried"
		}
		s.opts.Observer.Processed(ev.Provider, outcome, latency)
	}
	return st, perr
}

// reasonOf is the reason stored with an outcome: the handler's error, if any.
func reasonOf(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// safeProcess runs the check, then the handler. A failed check is
// permanent. A panic in either becomes an error, so the inbox records it and
// River retries it like any failure.
func (s *Store) safeProcess(ctx context.Context, ev *event.Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v\n%s", v, debug.Stack())
		}
	}()
	if s.opts.Check != nil {
		if err := s.opts.Check(ev); err != nil {
			return event.Permanent(err)
		}
	}
	return s.opts.Processor.Process(ctx, ev)
}

// retryPolicy waits base·2^(attempt-1), ±25% jitter so that a failing
// dependency is not hit by every retry at once, capped at an hour.
type retryPolicy struct{ base time.Duration }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	attempt := job.Attempt
	if job.Kind == (ProcessArgs{}).Kind() {
		var a ProcessArgs
		if json.Unmarshal(job.EncodedArgs, &a) == nil {
			attempt += a.Attempted
		}
	}
	return time.Now().Add(p.delay(attempt))
}

// delay is the wait after the given attempt failed.
func (p retryPolicy) delay(attempt int) time.Duration {
	d := p.base << min(max(attempt-1, 0), 30)
	if d > time.Hour || d <= 0 {
		d = time.Hour
	}
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + jitter
}

// purgeArgs is the periodic job that keeps the inbox from growing forever.
type purgeArgs struct{}

func (purgeArgs) Kind() string { return "webhook_purge" }

type purgeWorker struct {
	river.WorkerDefaults[purgeArgs]
	s *Store
}

func (w *purgeWorker) Work(ctx context.Context, job *river.Job[purgeArgs]) error {
	n, err := w.s.Purge(ctx, w.s.opts.Retention)
	if err != nil {
		return err
	}
	if n > 0 {
		w.s.log.InfoContext(ctx, "purged old events", slog.Int64("deleted", n), slog.Duration("retention", w.s.opts.Retention))
	}
	return nil
}
