package handlers

import (
	"context"
	"log/slog"

	"example.com/everyprovider/webhooks/event"
	stripeevents "example.com/everyprovider/webhooks/events/stripe"
)

// StripePaymentIntentSucceeded handles Stripe's "payment_intent.succeeded" event: Occurs when a PaymentIntent has successfully completed payment.
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func StripePaymentIntentSucceeded(ctx context.Context, ev *event.Event, data *stripeevents.PaymentIntentSucceededEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
