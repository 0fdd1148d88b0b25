package store

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// The memory queue. An event accepted while the queue has room is handed to
// the workers in memory once its row has committed, instead of through a
// River job: River's three statements per job (insert, fetch, complete),
// parsed anew every time on SQLite, were most of the service's CPU per event
// (make bench -profile). An event whose handler succeeds first time costs the
// inbox's insert and its outcome's update, both group-committed.
//
// Everything that needs durable scheduling still goes through River: the
// retries after a first failure, replays, events accepted while the memory
// queue is full, events left in it at shutdown, and events a process held in
// memory when it died. Such rows are marked queued = 0 until they get a job;
// the rescue gives a job to those not finished within RescueAfter. (Not
// sooner, even on SQLite after a restart: an overlapping deploy can have two
// processes on one file, and the other one's events are not orphans.)

// queuedEvent is an accepted event waiting in memory for a worker.
type queuedEvent struct {
	id          int64
	ev          *event.Event
	size        int64 // the room reserved for it (eventSize)
	maxAttempts int
	acceptedAt  time.Time
}

// eventSize is what a waiting event holds in memory, roughly: its body and
// headers, and the bookkeeping around them.
func eventSize(ev *event.Event) int64 {
	n := 512 + len(ev.Body)
	for k, vs := range ev.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return int64(n)
}

type memQueue struct {
	items chan queuedEvent
	// What accepts have not reserved: slots in items, and bytes, so that
	// large payloads (up to the body limit) cannot fill the memory.
	mu        sync.Mutex
	freeSlots int
	freeBytes int64
	// ctx is the workers' base context, cancelled when Stop's deadline passes.
	ctx     context.Context
	cancel  context.CancelFunc
	stop    chan struct{}
	wg      sync.WaitGroup
	started atomic.Bool
	once    sync.Once
}

func newMemQueue(size int, bytes int64) *memQueue {
	q := &memQueue{items: make(chan queuedEvent, size), stop: make(chan struct{}), freeSlots: size, freeBytes: bytes}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	return q
}

// reserve takes room for the leading events of evs that fit and returns how
// many, and their bytes; an accept hands those of them that are new to the
// queue after its commit (so that the send never blocks) and releases the
// rest.
func (q *memQueue) reserve(evs []*event.Event) (n int, bytes int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, ev := range evs {
		size := eventSize(ev)
		if q.freeSlots == 0 || q.freeBytes < size {
			break
		}
		q.freeSlots--
		q.freeBytes -= size
		n++
		bytes += size
	}
	return n, bytes
}

// release gives back the room of n events of the given total size.
func (q *memQueue) release(n int, size int64) {
	q.mu.Lock()
	q.freeSlots += n
	q.freeBytes += size
	q.mu.Unlock()
}

// startMemQueue runs Workers goroutines taking events from the queue.
func (s *Store) startMemQueue() {
	q := s.mem
	if !q.started.CompareAndSwap(false, true) {
		return
	}
	for range s.opts.Workers {
		q.wg.Add(1)
		go func() {
			defer q.wg.Done()
			for {
				select {
				case <-q.stop:
					return
				default:
				}
				select {
				case <-q.stop:
					return
				case it := <-q.items:
					q.release(1, it.size)
					s.runQueued(q.ctx, it)
				}
			}
		}()
	}
}

// stopMemQueue lets running handlers finish (until ctx ends, then cancels
// them) and gives River jobs to the events no worker started, so that
// another replica, or this service after a restart, runs them.
func (s *Store) stopMemQueue(ctx context.Context) error {
	q := s.mem
	q.once.Do(func() { close(q.stop) })
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		// Handlers still running are cancelled; one that ignores its
		// context is left behind (its event is rescued like a crash's).
		q.cancel()
		select {
		case <-done:
		case <-time.After(stopGrace):
			s.log.Warn("handlers still running after shutdown's deadline; their events will be rescued and run again")
		}
	}
	q.cancel()
	var ids []int64
drain:
	for {
		select {
		case it := <-q.items:
			q.release(1, it.size)
			ids = append(ids, it.id)
		default:
			break drain
		}
	}
	if len(ids) == 0 {
		return nil
	}
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := s.handOverIDs(hctx, ids); err != nil {
		return fmt.Errorf("%d events waiting in memory at shutdown are left to the rescue: %w", len(ids), err)
	}
	return nil
}

// stopGrace is how long Stop waits, after its deadline, for handlers it
// cancelled to return.
const stopGrace = 2 * time.Second

// runQueued runs one event from the memory queue and records its outcome.
// A failure becomes a River job scheduled for the retry.
func (s *Store) runQueued(ctx context.Context, it queuedEvent) {
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer rcancel()
	// Half the margin between RescueAfter and JobTimeout is left as slack
	// for the check, the outcome's commit and clocks that differ.
	if time.Since(it.acceptedAt) > (s.opts.RescueAfter-s.opts.JobTimeout)/2 {
		// Too old to start: the rescue may give it a job while it runs.
		if _, err := s.handOverIDs(rctx, []int64{it.id}); err != nil {
			s.log.Error("hand a waiting event to the job queue; the rescue will", slog.Int64("id", it.id), slog.String("error", err.Error()))
		}
		return
	}
	hctx, cancel := context.WithTimeout(ctx, s.opts.JobTimeout)
	st, perr := s.run(hctx, it.ev, 1, it.maxAttempts)
	cancel()
	if ctx.Err() != nil && st != Processed && st != Ignored {
		// Cancelled by shutdown: not an attempt. River runs it again.
		if _, err := s.handOverIDs(rctx, []int64{it.id}); err != nil {
			s.log.Error("hand an interrupted event to the job queue; the rescue will", slog.Int64("id", it.id), slog.String("error", err.Error()))
		}
		return
	}
	var err error
	switch st {
	case Processed, Ignored:
		err = s.finish(rctx, it.id, 1, st, reasonOf(perr))
	case Dead:
		err = s.setState(rctx, it.id, Dead, perr.Error(), 1)
	default:
		err = s.retryLater(rctx, it, perr)
	}
	if err != nil {
		s.log.Error("record an event's outcome; it will be rescued and run again",
			slog.Int64("id", it.id), slog.String("outcome", string(st)), slog.String("error", err.Error()))
	}
}

// retryLater records a first failure and schedules the retry as a River job,
// which carries the attempts made so far.
func (s *Store) retryLater(ctx context.Context, it queuedEvent, perr error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE webhook_event SET state = $1, reason = $2, attempts = 1, queued = 1, updated_at = $3 WHERE id = $4 AND queued = 0`,
		string(Failed), truncate(perr.Error()), time.Now().UnixMicro(), it.id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // the rescue gave it a job already: that job retries it
	}
	_, err = s.client.InsertTx(ctx, tx, ProcessArgs{EventID: it.id, Attempted: 1}, &river.InsertOpts{
		MaxAttempts: it.maxAttempts - 1,
		ScheduledAt: time.Now().Add(retryPolicy{base: s.opts.RetryBase}.delay(1)),
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// handOverIDs gives River jobs to the listed events if they still wait
// without one, a thousand per statement (both databases bound the
// parameters of one).
func (s *Store) handOverIDs(ctx context.Context, ids []int64) (int, error) {
	total := 0
	for chunk := range slices.Chunk(ids, 1000) {
		n, err := s.handOver(ctx, "id IN ("+placeholders(1, len(chunk))+")", anys(chunk)...)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// rescue gives River jobs to the events accepted before cutoff that still
// wait without one: their process stopped (or failed to record an outcome)
// before running them.
func (s *Store) rescue(ctx context.Context, cutoff time.Time) (int, error) {
	return s.handOver(ctx, "updated_at < $1", cutoff.UnixMicro())
}

// handOver marks the matching waiting events queued and inserts their jobs,
// in one transaction; a row another replica handed over first is skipped.
func (s *Store) handOver(ctx context.Context, cond string, args ...any) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `UPDATE webhook_event SET queued = 1 WHERE state = 'received' AND queued = 0 AND `+cond+
		` RETURNING id, provider, event_type`, args...)
	if err != nil {
		return 0, err
	}
	var jobs []river.InsertManyParams
	for rows.Next() {
		var id int64
		var provider, typ string
		if err := rows.Scan(&id, &provider, &typ); err != nil {
			rows.Close()
			return 0, err
		}
		jobs = append(jobs, river.InsertManyParams{Args: ProcessArgs{EventID: id},
			InsertOpts: &river.InsertOpts{MaxAttempts: s.opts.MaxAttempts(provider, typ)}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(jobs) == 0 {
		return 0, nil
	}
	if _, err := s.client.InsertManyTx(ctx, tx, jobs); err != nil {
		return 0, err
	}
	return len(jobs), tx.Commit()
}

// rescueArgs is the periodic job that runs the rescue.
type rescueArgs struct{}

func (rescueArgs) Kind() string { return "webhook_rescue" }

type rescueWorker struct {
	river.WorkerDefaults[rescueArgs]
	s *Store
}

func (w *rescueWorker) Work(ctx context.Context, job *river.Job[rescueArgs]) error {
	n, err := w.s.rescue(ctx, time.Now().Add(-w.s.opts.RescueAfter))
	if err != nil {
		return err
	}
	if n > 0 {
		w.s.log.WarnContext(ctx, "events rescued: accepted but not run within rescueAfter; queued to run again", slog.Int("events", n))
	}
	return nil
}

// handlerEvent is the event as a handler sees it, the same whether it comes
// from memory or from the inbox: times at the inbox's precision, in UTC, and
// headers of its own.
func handlerEvent(ev *event.Event) *event.Event {
	c := *ev
	c.Header = ev.Header.Clone() // the items of one delivery share the map
	c.ReceivedAt = time.UnixMicro(ev.ReceivedAt.UnixMicro()).UTC()
	c.VerifiedAt = time.UnixMicro(ev.VerifiedAt.UnixMicro()).UTC()
	return &c
}
