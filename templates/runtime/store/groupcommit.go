package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// Group commit: concurrent Accepts are gathered and stored in one
// transaction (their rows and their jobs), and each caller is answered when
// that transaction has committed. A commit costs an fsync whatever it holds,
// so under load many events share one; a lone event waits for nothing, since
// a batch is whatever queued up while the previous commit was running (plus
// GroupWindow, 0 by default).

type acceptReq struct {
	ev   *event.Event
	done chan acceptRes
}

type acceptRes struct {
	dup bool
	err error
}

type committer struct {
	s      *Store
	reqs   chan acceptReq
	stop   chan struct{}
	wg     sync.WaitGroup
	max    int
	window time.Duration
	once   sync.Once
}

func newCommitter(s *Store, workers, maxBatch int, window time.Duration) *committer {
	c := &committer{s: s, reqs: make(chan acceptReq, maxBatch*workers), stop: make(chan struct{}), max: maxBatch, window: window}
	for i := 0; i < workers; i++ {
		c.wg.Add(1)
		go c.loop()
	}
	return c
}

// errStopped answers Accepts that arrive after Stop.
var errStopped = fmt.Errorf("%w: shutting down", ErrUnavailable)

func (c *committer) accept(ctx context.Context, ev *event.Event) (bool, error) {
	req := acceptReq{ev: ev, done: make(chan acceptRes, 1)}
	select {
	case c.reqs <- req:
	case <-c.stop:
		return false, errStopped
	case <-ctx.Done():
		return false, fmt.Errorf("%w: %v", ErrUnavailable, ctx.Err())
	}
	// Once queued, wait for the outcome even if the client went away: the
	// event may be committed, and the answer must say so truthfully.
	res := <-req.done
	return res.dup, res.err
}

func (c *committer) loop() {
	defer c.wg.Done()
	for {
		var first acceptReq
		select {
		case first = <-c.reqs:
		case <-c.stop:
			c.drain()
			return
		}
		batch := c.gather(first)
		c.commit(batch)
	}
}

// gather adds to first what is already queued, and, with a window, what
// arrives within it, up to the batch size.
func (c *committer) gather(first acceptReq) []acceptReq {
	batch := []acceptReq{first}
	var deadline <-chan time.Time
	if c.window > 0 {
		deadline = time.After(c.window)
	}
	for len(batch) < c.max {
		if deadline == nil {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
				continue
			default:
				return batch
			}
		}
		select {
		case r := <-c.reqs:
			batch = append(batch, r)
		case <-deadline:
			return batch
		}
	}
	return batch
}

// drain answers what is still queued after Stop.
func (c *committer) drain() {
	for {
		select {
		case r := <-c.reqs:
			r.done <- acceptRes{err: errStopped}
		default:
			return
		}
	}
}

func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	c.wg.Wait()
}

// commit stores a batch in one transaction and answers every caller.
func (c *committer) commit(batch []acceptReq) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dups, err := c.s.acceptBatch(ctx, batch)
	for i, r := range batch {
		if err != nil {
			r.done <- acceptRes{err: err}
			continue
		}
		r.done <- acceptRes{dup: dups[i]}
	}
}

// acceptBatch records the events and their jobs in one transaction. A
// duplicate, of a stored event or of one earlier in the batch, gets no row
// and no job.
func (s *Store) acceptBatch(ctx context.Context, batch []acceptReq) ([]bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer tx.Rollback()
	dups := make([]bool, len(batch))
	var jobs []river.InsertManyParams
	now := time.Now().UnixMicro()
	for i, r := range batch {
		ev := r.ev
		headers, err := json.Marshal(ev.Header)
		if err != nil {
			return nil, err
		}
		state, reason := Received, ""
		if ev.Invalid != "" {
			state, reason = Dead, "schema: "+ev.Invalid
		}
		var id int64
		err = tx.QueryRowContext(ctx, insertEvent,
			ev.Provider, ev.ID, ev.Type, string(state), truncate(reason), ev.Body, string(headers),
			ev.ReceivedAt.UnixMicro(), ev.VerifiedAt.UnixMicro(), now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			dups[i] = true
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: record event: %v", ErrUnavailable, err)
		}
		if state == Received {
			jobs = append(jobs, river.InsertManyParams{Args: ProcessArgs{EventID: id},
				InsertOpts: &river.InsertOpts{MaxAttempts: s.opts.MaxAttempts(ev.Provider, ev.Type)}})
		}
	}
	if len(jobs) > 0 {
		if _, err := s.client.InsertManyTx(ctx, tx, jobs); err != nil {
			return nil, fmt.Errorf("%w: enqueue: %v", ErrUnavailable, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%w: commit: %v", ErrUnavailable, err)
	}
	return dups, nil
}

const insertEvent = `
INSERT INTO webhook_event (provider, event_id, event_type, state, reason, body, headers, received_at, verified_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (provider, event_id) DO NOTHING
RETURNING id`
