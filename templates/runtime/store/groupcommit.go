package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// Group commit: concurrent writes are gathered and done in one transaction,
// and each caller is answered when that transaction has committed. A commit
// costs an fsync whatever it holds, so under load many writes share one; a
// lone write waits for nothing, since a batch is whatever queued up while the
// previous commit was running (plus a window, 0 by default). Accepts (inbox
// rows and their jobs) and finishes (an outcome and its job's completion)
// each go through a batcher.

type batchItem[Req, Res any] struct {
	req  Req
	done chan batchResult[Res]
}

type batchResult[Res any] struct {
	res Res
	err error
}

// batcher runs fn on batches of requests, in workers goroutines.
type batcher[Req, Res any] struct {
	fn     func(ctx context.Context, reqs []Req) ([]Res, error)
	items  chan batchItem[Req, Res]
	stop   chan struct{}
	wg     sync.WaitGroup
	max    int
	window time.Duration
	once   sync.Once
}

func newBatcher[Req, Res any](workers, max int, window time.Duration, fn func(context.Context, []Req) ([]Res, error)) *batcher[Req, Res] {
	b := &batcher[Req, Res]{fn: fn, items: make(chan batchItem[Req, Res], max*workers), stop: make(chan struct{}), max: max, window: window}
	for i := 0; i < workers; i++ {
		b.wg.Add(1)
		go b.loop()
	}
	return b
}

// errStopped answers requests that arrive after Stop.
var errStopped = fmt.Errorf("%w: shutting down", ErrUnavailable)

// do queues req and waits for its batch to commit.
func (b *batcher[Req, Res]) do(ctx context.Context, req Req) (Res, error) {
	var zero Res
	it := batchItem[Req, Res]{req: req, done: make(chan batchResult[Res], 1)}
	select {
	case b.items <- it:
	case <-b.stop:
		return zero, errStopped
	case <-ctx.Done():
		return zero, fmt.Errorf("%w: %v", ErrUnavailable, ctx.Err())
	}
	// Once queued, wait for the outcome even if the caller's context ends:
	// the write may be committed, and the answer must say so truthfully.
	r := <-it.done
	return r.res, r.err
}

func (b *batcher[Req, Res]) loop() {
	defer b.wg.Done()
	for {
		var first batchItem[Req, Res]
		select {
		case first = <-b.items:
		case <-b.stop:
			b.drain()
			return
		}
		b.run(b.gather(first))
	}
}

// gather adds to first what is already queued, and, with a window, what
// arrives within it, up to the batch size.
func (b *batcher[Req, Res]) gather(first batchItem[Req, Res]) []batchItem[Req, Res] {
	batch := []batchItem[Req, Res]{first}
	var deadline <-chan time.Time
	if b.window > 0 {
		deadline = time.After(b.window)
	}
	for len(batch) < b.max {
		if deadline == nil {
			select {
			case it := <-b.items:
				batch = append(batch, it)
				continue
			default:
				return batch
			}
		}
		select {
		case it := <-b.items:
			batch = append(batch, it)
		case <-deadline:
			return batch
		}
	}
	return batch
}

// run commits a batch and answers every caller.
func (b *batcher[Req, Res]) run(batch []batchItem[Req, Res]) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	reqs := make([]Req, len(batch))
	for i, it := range batch {
		reqs[i] = it.req
	}
	res, err := b.fn(ctx, reqs)
	for i, it := range batch {
		if err != nil {
			it.done <- batchResult[Res]{err: err}
			continue
		}
		it.done <- batchResult[Res]{res: res[i]}
	}
}

// drain answers what is still queued after Stop.
func (b *batcher[Req, Res]) drain() {
	for {
		select {
		case it := <-b.items:
			it.done <- batchResult[Res]{err: errStopped}
		default:
			return
		}
	}
}

func (b *batcher[Req, Res]) close() {
	b.once.Do(func() { close(b.stop) })
	b.wg.Wait()
}

// acceptBatch records the events and their jobs in one transaction, the
// rows in one multi-row INSERT (one round trip on Postgres, whatever the
// batch's size; on SQLite, prepared once per batch size). A duplicate, of a
// stored event or of one earlier in the batch, gets no row and no job; its
// result is true. New events go to the memory queue while it has room, the
// rest get River jobs in the same transaction.
func (s *Store) acceptBatch(ctx context.Context, evs []*event.Event) ([]bool, error) {
	// Room is reserved before the insert, which records where each row goes:
	// the first slots events wait in memory.
	slots, room := s.mem.reserve(evs)
	var handed []queuedEvent
	defer func() {
		for _, it := range handed {
			room -= it.size
		}
		s.mem.release(slots-len(handed), room)
	}()
	now := time.Now().UnixMicro()
	var q strings.Builder
	q.WriteString(insertEvents)
	args := make([]any, 0, len(evs)*11)
	for i, ev := range evs {
		headers, err := json.Marshal(ev.Header)
		if err != nil {
			return nil, err
		}
		queued := 1
		if i < slots {
			queued = 0
		}
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(" + placeholders(len(args)+1, 11) + ")")
		args = append(args, ev.Provider, ev.ID, ev.Type, string(Received), "", ev.Body, string(headers),
			ev.ReceivedAt.UnixMicro(), ev.VerifiedAt.UnixMicro(), now, queued)
	}
	q.WriteString(" ON CONFLICT (provider, event_id) DO NOTHING RETURNING id, provider, event_id")
	insert, err := s.prepare(ctx, q.String())
	if err != nil {
		return nil, fmt.Errorf("%w: record events: %v", ErrUnavailable, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer tx.Rollback()
	rows, err := insert.query(ctx, tx, args...)
	if err != nil {
		return nil, fmt.Errorf("%w: record events: %v", ErrUnavailable, err)
	}
	type key struct{ provider, id string }
	inserted := map[key]int64{}
	for rows.Next() {
		var k key
		var id int64
		if err := rows.Scan(&id, &k.provider, &k.id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%w: record events: %v", ErrUnavailable, err)
		}
		inserted[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%w: record events: %v", ErrUnavailable, err)
	}
	rows.Close()
	// RETURNING says which rows are new, in no particular order: the first
	// event of each key in the batch is the new one, later ones duplicates.
	dups := make([]bool, len(evs))
	var jobs []river.InsertManyParams
	var toMemory []queuedEvent
	accepted := time.UnixMicro(now) // as updated_at, which the rescue reads
	for i, ev := range evs {
		k := key{ev.Provider, ev.ID}
		id, ok := inserted[k]
		if !ok {
			dups[i] = true
			continue
		}
		delete(inserted, k)
		maxAttempts := s.opts.MaxAttempts(ev.Provider, ev.Type)
		if i < slots {
			toMemory = append(toMemory, queuedEvent{id: id, ev: handlerEvent(ev), size: eventSize(ev), maxAttempts: maxAttempts, acceptedAt: accepted})
			continue
		}
		jobs = append(jobs, river.InsertManyParams{Args: ProcessArgs{EventID: id},
			InsertOpts: &river.InsertOpts{MaxAttempts: maxAttempts}})
	}
	if len(jobs) > 0 {
		if _, err := s.client.InsertManyTx(ctx, tx, jobs); err != nil {
			return nil, fmt.Errorf("%w: enqueue: %v", ErrUnavailable, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("%w: commit: %v", ErrUnavailable, err)
	}
	// Committed: only now may a worker see the events (slots are reserved,
	// so the sends do not block).
	handed = toMemory
	for _, it := range handed {
		s.mem.items <- it
	}
	return dups, nil
}

const insertEvents = `INSERT INTO webhook_event (provider, event_id, event_type, state, reason, body, headers, received_at, verified_at, updated_at, queued) VALUES `

// finishReq is a final outcome to record.
type finishReq struct {
	id       int64
	attempts int
	state    State
	reason   string
}

// finishBatch records outcomes, many workers' in one transaction, one
// UPDATE per distinct outcome (a batch of successes is one statement). River
// completes the jobs, if any, after Work returns: completing them here too
// cost a second parse of River's job update per event, about a third of the
// CPU on SQLite (make bench). A job that runs again after its outcome was
// recorded (a crash in between) finds it in the inbox and does not call the
// handler.
func (s *Store) finishBatch(ctx context.Context, reqs []finishReq) ([]struct{}, error) {
	type outcome struct {
		state    State
		reason   string
		attempts int
	}
	groups := map[outcome][]any{}
	var order []outcome
	for _, r := range reqs {
		o := outcome{r.state, r.reason, r.attempts}
		if _, ok := groups[o]; !ok {
			order = append(order, o)
		}
		groups[o] = append(groups[o], r.id)
	}
	now := time.Now().UnixMicro()
	type update struct {
		st   statement
		args []any
	}
	updates := make([]update, 0, len(order))
	for _, o := range order {
		ids := groups[o]
		st, err := s.prepare(ctx, `UPDATE webhook_event SET state = $1, reason = $2, attempts = $3, updated_at = $4 WHERE id IN (`+placeholders(5, len(ids))+`)`)
		if err != nil {
			return nil, err
		}
		updates = append(updates, update{st, append([]any{string(o.state), o.reason, o.attempts, now}, ids...)})
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, u := range updates {
		if err := u.st.exec(ctx, tx, u.args...); err != nil {
			return nil, err
		}
	}
	return make([]struct{}, len(reqs)), tx.Commit()
}
