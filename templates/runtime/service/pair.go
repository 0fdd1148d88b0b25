package service

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store"
)

// pair opens a pairing window for a provider that hands its secret over
// in a handshake (server pair asana), or forgets its secrets (unpair).
func pair(app App, env Env, log *slog.Logger, cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	window := fs.Duration("for", 10*time.Minute, "how long the window stays open")
	if len(args) == 0 {
		return usageError{fmt.Errorf("%s needs a provider", cmd)}
	}
	provider := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err}
	}
	return withStore(env, log, app, func(ctx context.Context, s *store.Store) error {
		if cmd == "unpair" {
			n, err := s.Unpair(ctx, provider)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%d secret(s) of %s forgotten\n", n, provider)
			return nil
		}
		until := time.Now().Add(*window)
		if err := s.OpenPairing(ctx, provider, until); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s may hand over one secret until %s: create the webhook at %s now\n", provider, until.Format(time.RFC3339), provider)
		return nil
	})
}
