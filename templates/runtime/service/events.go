package service

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store"
)

// events runs the operator commands on the inbox.
func events(app App, env Env, log *slog.Logger, args []string) error {
	if len(args) == 0 {
		return usageError{fmt.Errorf("events needs a subcommand: list, show, replay or purge")}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("events "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	state := fs.String("state", "", "only events in this state: "+stateNames())
	provider := fs.String("provider", "", "only this provider's events")
	limit := fs.Int("limit", 100, "at most this many events")
	allDead := fs.Bool("all-dead", false, "replay every dead event")
	olderThan := fs.Duration("older-than", 30*24*time.Hour, "purge processed and ignored events older than this")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *state != "" && !slices.Contains(store.States, store.State(*state)) {
		return usageError{fmt.Errorf("unknown state %q: use one of %s", *state, stateNames())}
	}
	ids, err := parseIDs(fs.Args())
	if err != nil {
		return usageError{err}
	}
	return withStore(env, log, app, func(ctx context.Context, s *store.Store) error {
		switch sub {
		case "list":
			return list(ctx, env, s, store.Filter{State: store.State(*state), Provider: *provider, Limit: *limit})
		case "show":
			if len(ids) != 1 {
				return usageError{fmt.Errorf("events show takes one event id")}
			}
			return show(ctx, env, s, ids[0])
		case "replay":
			if (len(ids) == 0) == !*allDead {
				return usageError{fmt.Errorf("events replay takes event ids, or --all-dead")}
			}
			n, err := s.Replay(ctx, ids...)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%d event(s) queued again\n", n)
			return nil
		case "purge":
			n, err := s.Purge(ctx, *olderThan)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%d processed or ignored event(s) older than %s deleted\n", n, *olderThan)
			return nil
		}
		return usageError{fmt.Errorf("unknown events subcommand %q", sub)}
	})
}

func stateNames() string {
	names := make([]string, len(store.States))
	for i, s := range store.States {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func parseIDs(args []string) ([]int64, error) {
	var ids []int64
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not an event id (the ID column of events list)", a)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func list(ctx context.Context, env Env, s *store.Store, f store.Filter) error {
	recs, err := s.List(ctx, f)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tPROVIDER\tTYPE\tEVENT ID\tSTATE\tATTEMPTS\tRECEIVED\tREASON")
	for _, r := range recs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Provider, r.Type, r.EventID, r.State, r.Attempts,
			r.ReceivedAt.Format(time.RFC3339), oneLine(r.Reason, 60))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	var parts []string
	for _, st := range store.States {
		parts = append(parts, fmt.Sprintf("%s %d", st, counts[st]))
	}
	fmt.Fprintf(env.Stderr, "inbox: %s\n", strings.Join(parts, ", "))
	return nil
}

func show(ctx context.Context, env Env, s *store.Store, id int64) error {
	r, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	out := env.Stdout
	fmt.Fprintf(out, "id:        %d\nprovider:  %s\ntype:      %s\nevent id:  %s\nstate:     %s\nattempts:  %d\n",
		r.ID, r.Provider, r.Type, r.EventID, r.State, r.Attempts)
	fmt.Fprintf(out, "received:  %s\nverified:  %s\nupdated:   %s\n", r.ReceivedAt.Format(time.RFC3339Nano),
		r.VerifiedAt.Format(time.RFC3339Nano), r.UpdatedAt.Format(time.RFC3339Nano))
	if r.Reason != "" {
		fmt.Fprintf(out, "reason:    %s\n", r.Reason)
	}
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "header:    %s: %s\n", k, strings.Join(r.Header[k], ", "))
	}
	fmt.Fprintf(out, "body (%d bytes):\n%s\n", len(r.Body), r.Body)
	return nil
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
