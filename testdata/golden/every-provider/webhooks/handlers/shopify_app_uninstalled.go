package handlers

import (
	"context"
	"log/slog"

	"example.com/everyprovider/webhooks/event"
	shopifyevents "example.com/everyprovider/webhooks/events/shopify"
)

// ShopifyAppUninstalled handles Shopify's "app/uninstalled" event: Occurs whenever a shop has uninstalled the app.
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func ShopifyAppUninstalled(ctx context.Context, ev *event.Event, data *shopifyevents.AppUninstalledEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
