package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// State is where an event is in its life.
type State string

const (
	Received  State = "received"  // stored, waiting for its handler
	Failed    State = "failed"    // its handler failed; it will be retried
	Processed State = "processed" // its handler succeeded
	Ignored   State = "ignored"   // no handler for its type
	Dead      State = "dead"      // out of attempts, permanent error, or schema-invalid
)

// States lists every state, for operators.
var States = []State{Received, Failed, Processed, Ignored, Dead}

// Accept records the event and its processing job in one transaction, and
// returns only after the commit: the receive path acknowledges nothing that
// is not stored. A second delivery of the same provider and id is a duplicate
// and gets no job.
// Concurrent Accepts share a transaction (group commit, see groupcommit.go).
func (s *Store) Accept(ctx context.Context, ev *event.Event) (bool, error) {
	return s.accepts.do(ctx, ev)
}

func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, id int64, provider, typ string) error {
	_, err := s.client.InsertTx(ctx, tx, ProcessArgs{EventID: id}, &river.InsertOpts{MaxAttempts: s.opts.MaxAttempts(provider, typ)})
	if err != nil {
		return fmt.Errorf("%w: enqueue: %v", ErrUnavailable, err)
	}
	return nil
}

// Record is one inbox row.
type Record struct {
	ID         int64
	Provider   string
	EventID    string
	Type       string
	State      State
	Reason     string
	Attempts   int
	Body       []byte
	Header     http.Header
	ReceivedAt time.Time
	VerifiedAt time.Time
	UpdatedAt  time.Time
}

// Event returns the record as the event handlers see.
func (r *Record) Event() *event.Event {
	return &event.Event{Provider: r.Provider, ID: r.EventID, Type: r.Type, Body: r.Body, Header: r.Header,
		ReceivedAt: r.ReceivedAt, VerifiedAt: r.VerifiedAt}
}

const recordColumns = `id, provider, event_id, event_type, state, reason, attempts, body, headers, received_at, verified_at, updated_at`

type scanner interface{ Scan(...any) error }

func scanRecord(row scanner) (*Record, error) {
	var (
		r                  Record
		state, headers     string
		recv, verif, updat int64
	)
	if err := row.Scan(&r.ID, &r.Provider, &r.EventID, &r.Type, &state, &r.Reason, &r.Attempts, &r.Body, &headers, &recv, &verif, &updat); err != nil {
		return nil, err
	}
	r.State = State(state)
	r.ReceivedAt, r.VerifiedAt, r.UpdatedAt = time.UnixMicro(recv).UTC(), time.UnixMicro(verif).UTC(), time.UnixMicro(updat).UTC()
	if err := json.Unmarshal([]byte(headers), &r.Header); err != nil {
		return nil, fmt.Errorf("event %d: headers: %w", r.ID, err)
	}
	return &r, nil
}

// ErrNotFound is returned for an id the inbox does not hold.
var ErrNotFound = errors.New("no such event")

// Get returns one event by its inbox id.
func (s *Store) Get(ctx context.Context, id int64) (*Record, error) {
	r, err := scanRecord(s.reads.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM webhook_event WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	return r, err
}

// Filter selects events for List.
type Filter struct {
	State    State  // any when empty
	Provider string // any when empty
	Limit    int    // 100 when 0
}

// List returns matching events, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]*Record, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var where []string
	var args []any
	if f.State != "" {
		args = append(args, string(f.State))
		where = append(where, fmt.Sprintf("state = $%d", len(args)))
	}
	if f.Provider != "" {
		args = append(args, f.Provider)
		where = append(where, fmt.Sprintf("provider = $%d", len(args)))
	}
	q := `SELECT ` + recordColumns + ` FROM webhook_event`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT $%d", len(args))
	rows, err := s.reads.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Counts returns how many events are in each state.
func (s *Store) Counts(ctx context.Context) (map[State]int, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT state, COUNT(*) FROM webhook_event GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[State]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[State(st)] = n
	}
	return out, rows.Err()
}

// Pending returns how many events wait for a handler (received or failed)
// and the age of the oldest, for the queue metrics.
func (s *Store) Pending(ctx context.Context) (int, time.Duration, error) {
	var n int
	var oldest sql.NullInt64
	err := s.reads.QueryRowContext(ctx, `SELECT COUNT(*), MIN(received_at) FROM webhook_event WHERE state IN ($1, $2)`,
		string(Received), string(Failed)).Scan(&n, &oldest)
	if err != nil || !oldest.Valid {
		return n, 0, err
	}
	return n, time.Since(time.UnixMicro(oldest.Int64)), nil
}

// Replay puts dead (or failed) events back in the queue with fresh attempts.
// With no ids it replays every dead event. It returns how many were queued.
func (s *Store) Replay(ctx context.Context, ids ...int64) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var rows *sql.Rows
	if len(ids) == 0 {
		rows, err = tx.QueryContext(ctx, `SELECT id, provider, event_type, state FROM webhook_event WHERE state = $1 ORDER BY id`, string(Dead))
	} else {
		rows, err = tx.QueryContext(ctx, `SELECT id, provider, event_type, state FROM webhook_event WHERE id IN (`+placeholders(1, len(ids))+`) ORDER BY id`, anys(ids)...)
	}
	if err != nil {
		return 0, err
	}
	type target struct {
		id            int64
		provider, typ string
		state         State
	}
	var targets []target
	for rows.Next() {
		var t target
		var st string
		if err := rows.Scan(&t.id, &t.provider, &t.typ, &st); err != nil {
			rows.Close()
			return 0, err
		}
		t.state = State(st)
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(ids) > 0 && len(targets) != len(ids) {
		return 0, fmt.Errorf("%w: only %d of the %d ids exist", ErrNotFound, len(targets), len(ids))
	}
	for _, t := range targets {
		if t.state != Dead && t.state != Failed {
			return 0, fmt.Errorf("event %d is %s; only dead or failed events can be replayed", t.id, t.state)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_event SET state = $1, reason = $2, attempts = 0, queued = 1, updated_at = $3 WHERE id = $4`,
			string(Received), "replayed", time.Now().UnixMicro(), t.id); err != nil {
			return 0, err
		}
		if err := s.enqueue(ctx, tx, t.id, t.provider, t.typ); err != nil {
			return 0, err
		}
	}
	return len(targets), tx.Commit()
}

// Purge deletes processed and ignored events last changed before the cutoff.
func (s *Store) Purge(ctx context.Context, olderThan time.Duration) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_event WHERE state IN ($1, $2) AND updated_at < $3`,
		string(Processed), string(Ignored), time.Now().Add(-olderThan).UnixMicro())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// setState records an outcome outside a job's completion (failures).
func (s *Store) setState(ctx context.Context, id int64, st State, reason string, attempts int) error {
	_, err := s.db.ExecContext(ctx, `UPDATE webhook_event SET state = $1, reason = $2, attempts = $3, updated_at = $4 WHERE id = $5`,
		string(st), truncate(reason), attempts, time.Now().UnixMicro(), id)
	return err
}

// finish records a final outcome in a transaction shared with other
// workers' finishes.
func (s *Store) finish(ctx context.Context, id int64, attempt int, st State, reason string) error {
	_, err := s.finishes.do(ctx, finishReq{id: id, attempts: attempt, state: st, reason: truncate(reason)})
	return err
}

// truncate keeps error texts stored in the inbox to a sane size.
func truncate(s string) string {
	const max = 4000
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
