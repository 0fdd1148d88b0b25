package handlers

import (
	"context"
	"log/slog"

	"example.com/everyprovider/webhooks/event"
	svixevents "example.com/everyprovider/webhooks/events/svix"
)

// SvixAny handles Svix (webhooks sent through Svix)'s events without a handler of their own: Every event type without a handler of its own. The event types are the sender's own; the type is read from the payload's type field, which Svix's docs put in every payload by convention (Svix does not add it itself: a payload without one is refused with 400).
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func SvixAny(ctx context.Context, ev *event.Event, data *svixevents.AnyEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
