// Package inbox holds accepted events until they are processed.
//
// Memory keeps them in this process: fast, and lost on restart. It is the
// seam a durable store replaces; the receive path only sees receive.Acceptor.
package inbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// Processor runs an event's handler.
type Processor interface {
	Process(ctx context.Context, ev *event.Event) error
}

// State is where an event is in its life.
type State string

const (
	Received  State = "received"
	Processed State = "processed"
	Ignored   State = "ignored" // no handler for its type
	Dead      State = "dead"    // failed, or authentic but schema-invalid
)

// Record is an event and what became of it.
type Record struct {
	Event  *event.Event
	State  State
	Reason string
}

// Memory is an in-process Acceptor: it dedupes on provider and event id and
// runs each new event's processor in a goroutine.
type Memory struct {
	proc Processor
	log  *slog.Logger

	mu      sync.Mutex
	records map[string]*Record
	order   []string
	wg      sync.WaitGroup
	closed  bool
}

// NewMemory returns a Memory that hands events to proc.
func NewMemory(proc Processor, log *slog.Logger) *Memory {
	if log == nil {
		log = slog.Default()
	}
	return &Memory{proc: proc, log: log, records: map[string]*Record{}}
}

// ErrClosed is returned by Accept after Close.
var ErrClosed = errors.New("inbox closed")

// Accept implements receive.Acceptor.
func (m *Memory) Accept(ctx context.Context, ev *event.Event) (bool, error) {
	key := ev.Provider + "\x00" + ev.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false, ErrClosed
	}
	if _, seen := m.records[key]; seen {
		return true, nil
	}
	rec := &Record{Event: ev, State: Received}
	m.records[key] = rec
	m.order = append(m.order, key)
	if ev.Invalid != "" {
		rec.State, rec.Reason = Dead, "schema: "+ev.Invalid
		return false, nil
	}
	m.wg.Add(1)
	go m.process(rec)
	return false, nil
}

func (m *Memory) process(rec *Record) {
	defer m.wg.Done()
	err := m.proc.Process(context.Background(), rec.Event)
	state, reason := Processed, ""
	switch {
	case errors.Is(err, event.ErrUnknownType):
		state = Ignored
	case err != nil:
		state, reason = Dead, err.Error()
		m.log.Error("event handler failed", slog.String("provider", rec.Event.Provider),
			slog.String("event_type", rec.Event.Type), slog.String("event_id", rec.Event.ID), slog.Any("error", err))
	}
	m.mu.Lock()
	rec.State, rec.Reason = state, reason
	m.mu.Unlock()
}

// Records returns a snapshot of every event in arrival order.
func (m *Memory) Records() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Record, 0, len(m.order))
	for _, k := range m.order {
		out = append(out, *m.records[k])
	}
	return out
}

// Close stops accepting and waits for running handlers, or for ctx.
func (m *Memory) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
