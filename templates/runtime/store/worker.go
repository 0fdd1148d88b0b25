package store

import (
	"context"
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

// ProcessArgs is the River job of one inbox event.
type ProcessArgs struct {
	EventID int64 `json:"event_id"`
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
	start := time.Now()
	perr := safeProcess(ctx, s.opts.Processor, rec.Event())
	latency := time.Since(start)
	attrs := []slog.Attr{slog.String("provider", rec.Provider), slog.String("event_type", rec.Type),
		slog.String("event_id", rec.EventID), slog.Int("attempt", job.Attempt), slog.Duration("latency", latency)}
	observe := func(outcome string) {
		if s.opts.Observer != nil {
			s.opts.Observer.Processed(rec.Provider, outcome, latency)
		}
	}
	switch {
	case perr == nil:
		s.log.LogAttrs(ctx, slog.LevelInfo, "event processed", attrs...)
		observe("processed")
		return s.finish(ctx, job, Processed, "")
	case errors.Is(perr, event.ErrUnknownType):
		s.log.LogAttrs(ctx, slog.LevelInfo, "event ignored: no handler for its type", attrs...)
		observe("ignored")
		return s.finish(ctx, job, Ignored, perr.Error())
	case event.IsPermanent(perr) || job.Attempt >= job.MaxAttempts:
		s.log.LogAttrs(ctx, slog.LevelError, "event dead-lettered", append(attrs, slog.String("error", perr.Error()))...)
		observe("dead")
		if err := s.setState(ctx, rec.ID, Dead, perr.Error(), job.Attempt); err != nil {
			return err // River retries; the next attempt records it
		}
		return river.JobCancel(perr)
	default:
		s.log.LogAttrs(ctx, slog.LevelWarn, "event handler failed; will retry", append(attrs, slog.String("error", perr.Error()))...)
		observe("retried")
		if err := s.setState(ctx, rec.ID, Failed, perr.Error(), job.Attempt); err != nil {
			return errors.Join(perr, err)
		}
		return perr
	}
}

// safeProcess turns a handler's panic into an error, so the inbox records it
// and River retries it like any failure.
func safeProcess(ctx context.Context, p Processor, ev *event.Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v\n%s", v, debug.Stack())
		}
	}()
	return p.Process(ctx, ev)
}

// retryPolicy waits base·2^(attempt-1), ±25% jitter so that a failing
// dependency is not hit by every retry at once, capped at an hour.
type retryPolicy struct{ base time.Duration }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	d := p.base << min(max(job.Attempt-1, 0), 30)
	if d > time.Hour || d <= 0 {
		d = time.Hour
	}
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return time.Now().Add(d + jitter)
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
