package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/sign"
)

func newSign(e *env) *cobra.Command {
	var provider, secret, timestamp, id string
	cmd := &cobra.Command{
		Use:   "sign --provider NAME --secret S [--timestamp T] [--id ID] [FILE|-]",
		Short: "Print the signature headers a provider would send for a payload",
		Long: `sign reads a payload (a file, or standard input) and prints one
"Header-Name: value" line per header the provider's signature needs, so that
curl or a test can send a delivery the service accepts.`,
		Example: `  create-webhook-handler sign --provider stripe --secret whsec_test event.json
  curl -sS localhost:8080/webhooks/stripe -H 'Content-Type: application/json' \
      -H "$(create-webhook-handler sign --provider stripe --secret whsec_test event.json)" \
      --data-binary @event.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if provider == "" || secret == "" {
				return errors.New("sign needs --provider and --secret")
			}
			p, err := findProvider(e, provider)
			if err != nil {
				return err
			}
			var body []byte
			if len(args) == 0 || args[0] == "-" {
				body, err = io.ReadAll(e.stdin)
			} else {
				body, err = os.ReadFile(args[0])
			}
			if err != nil {
				return err
			}
			at, err := sign.ParseTimestamp(p.Signature, timestamp, time.Now())
			if err != nil {
				return err
			}
			h, err := sign.Headers(p, body, secret, sign.Options{At: at, ID: id})
			if err != nil {
				return err
			}
			keys := make([]string, 0, len(h))
			for k := range h {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(e.stdout, "%s: %s\n", k, h.Get(k))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "provider whose scheme signs the payload")
	cmd.Flags().StringVar(&secret, "secret", "", "the signing secret, as the service's <NAME>_WEBHOOK_SECRET holds it")
	cmd.Flags().StringVar(&timestamp, "timestamp", "", "timestamp in the provider's wire format (unix seconds, milliseconds or RFC 3339); default now")
	cmd.Flags().StringVar(&id, "id", "", "message id, for schemes that sign one (Standard Webhooks, Twitch); default derived from the body and time")
	_ = cmd.RegisterFlagCompletionFunc("provider", completeProviders(e))
	return cmd
}
