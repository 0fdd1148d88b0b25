package handlers

import (
	"context"
	"log/slog"

	"example.com/allproviders/webhooks/event"
	githubevents "example.com/allproviders/webhooks/events/github"
)

// GithubPullRequest handles GitHub's "pull_request" event: Activity on a pull request. Actions: assigned, auto_merge_disabled, auto_merge_enabled, closed, converted_to_draft, demilestoned, dequeued, edited, enqueued, labeled, locked, milestoned, opened, ready_for_review, reopened, synchronize, unassigned, unlabeled, unlocked.
//
// This file is yours: create-webhook-handler created it once and never
// overwrites it. Delivery is at least once (a provider retries, a crash can
// interrupt a handler), so make the work idempotent: ev.ID is the same for
// every delivery of one event; record it with your change, in one transaction.
// Return an error to have the event retried later; return nil when done.
func GithubPullRequest(ctx context.Context, ev *event.Event, data *githubevents.PullRequestEvent) error {
	slog.InfoContext(ctx, "webhook event", slog.String("provider", ev.Provider), slog.String("type", ev.Type), slog.String("id", ev.ID))
	return nil
}
