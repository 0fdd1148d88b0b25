package handlers

import (
	"context"
	"log/slog"

	"example.com/everyprovider/webhooks/event"
	dropboxevents "example.com/everyprovider/webhooks/events/dropbox"
)

// DropboxListFolder handles Dropbox (webhooks)'s "list_folder" event: Files changed in the accounts listed in list_folder.accounts: call files/list_folder/continue with each account's cursor. Notifications that also carry delta are typed list_folder.
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func DropboxListFolder(ctx context.Context, ev *event.Event, data *dropboxevents.ListFolderEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
