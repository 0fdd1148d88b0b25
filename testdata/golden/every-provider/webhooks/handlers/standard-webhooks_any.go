package handlers

import (
	"context"
	"log/slog"

	"example.com/everyprovider/webhooks/event"
	standardwebhooksevents "example.com/everyprovider/webhooks/events/standard-webhooks"
)

// StandardWebhooksAny handles Standard Webhooks (any compliant sender)'s events without a handler of their own: Every event type without a handler of its own: the payload's type, by the spec's convention a full-stop delimited name such as user.created; branch on it inside the handler.
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func StandardWebhooksAny(ctx context.Context, ev *event.Event, data *standardwebhooksevents.AnyEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
