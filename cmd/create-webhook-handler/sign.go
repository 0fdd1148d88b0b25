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
	var provider, secret, timestamp, id, keyFile, url string
	cmd := &cobra.Command{
		Use:   "sign --provider NAME (--secret S | --key FILE) [--timestamp T] [--id ID] [--url URL] [FILE|-]",
		Short: "Print the signature headers a provider would send for a payload",
		Long: `sign reads a payload (a file, or standard input) and prints one
"Header-Name: value" line per header the provider's signature needs, so that
curl or a test can send a delivery the service accepts. Providers that sign
inside the body (Mailgun) get the signed body printed instead.`,
		Example: `  create-webhook-handler sign --provider stripe --secret whsec_test event.json
  curl -sS localhost:8080/webhooks/stripe -H 'Content-Type: application/json' \
      -H "$(create-webhook-handler sign --provider stripe --secret whsec_test event.json)" \
      --data-binary @event.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if provider == "" || (secret == "" && keyFile == "") {
				return errors.New("sign needs --provider, and --secret (or --key for public-key providers)")
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
			o := sign.Options{At: at, ID: id, URL: url}
			if keyFile != "" {
				if o.PrivateKey, err = readPrivateKey(keyFile); err != nil {
					return err
				}
			}
			h, signed, err := sign.Delivery(p, body, secret, o)
			if err != nil {
				return err
			}
			if p.Signature.Scheme == "body-signature" {
				// The signature is inside the body: print the signed body.
				_, err := e.stdout.Write(append(signed, '\n'))
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
	cmd.Flags().StringVar(&keyFile, "key", "", "private key file (PEM), for providers that sign with a key pair (see keygen)")
	cmd.Flags().StringVar(&url, "url", "", "the endpoint URL as the provider calls it, for providers that sign it (Square, Trello)")
	_ = cmd.RegisterFlagCompletionFunc("provider", completeProviders(e))
	return cmd
}

func readPrivateKey(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	k, err := sign.PrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return k, nil
}

func newKeygen(e *env) *cobra.Command {
	var provider, out string
	cmd := &cobra.Command{
		Use:   "keygen --provider NAME --out FILE",
		Short: "Make a test key pair for a provider that signs with a private key",
		Long: `keygen writes a private key (PEM) to FILE, for sign --key and send --key, and
prints the matching public key as the service's variable expects it. Use it
to test a Discord or SendGrid receiver without the provider.`,
		Example: `  create-webhook-handler keygen --provider discord --out discord-test.pem
  export DISCORD_PUBLIC_KEY=...   # the printed value`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if provider == "" || out == "" {
				return errors.New("keygen needs --provider and --out")
			}
			p, err := findProvider(e, provider)
			if err != nil {
				return err
			}
			private, public, err := sign.KeyPair(p)
			if err != nil {
				return err
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("%w (keygen never overwrites a key)", err)
			}
			if _, err := f.Write(private); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s%s=%s\n", p.EnvPrefix(), p.MainCredential().Name, public)
			return nil
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "provider whose key type to make")
	cmd.Flags().StringVar(&out, "out", "", "file to write the private key to (not overwritten)")
	_ = cmd.RegisterFlagCompletionFunc("provider", completeProviders(e))
	return cmd
}
