// Package event holds what the receive path hands to processing: one
// authenticated delivery, its raw bytes untouched.
package event

import (
	"errors"
	"net/http"
	"time"
)

// Event is one verified delivery (or one item of a batched delivery).
type Event struct {
	// Provider is the provider's name, as in /webhooks/{provider}.
	Provider string
	// ID is the dedupe key: the provider's event or delivery id, or
	// "sha256:<hex>" of the body where the provider sends none.
	ID string
	// Type is the event type in the provider's own spelling.
	Type string
	// Body is the request body exactly as received: signatures are over
	// these bytes, so it is never re-encoded.
	Body []byte
	// Header holds the request headers a handler may need.
	Header http.Header
	// ReceivedAt is when the delivery arrived; VerifiedAt when its signature
	// checked out.
	ReceivedAt time.Time
	VerifiedAt time.Time
}

// ErrUnknownType is returned by processing for event types without a
// handler: such events are recorded as ignored, not retried.
var ErrUnknownType = errors.New("no handler for this event type")

// Permanent marks an error that retrying cannot fix (for example a payload
// that does not decode): the event goes straight to the dead letters.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (p *permanentError) Error() string { return p.err.Error() }
func (p *permanentError) Unwrap() error { return p.err }
