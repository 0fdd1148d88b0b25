package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/sign"
)

func newSend(e *env) *cobra.Command {
	var provider, event, secret, keyFile, file, publicURL string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "send URL --provider NAME --event TYPE (--secret S | --key FILE) [--file body.json]",
		Short: "Post a signed sample event to a running service, as the provider would",
		Long: `send posts one delivery to URL, signed like the provider signs it, and prints
the response's status and body. The body is the event's sample payload, with
its id made unique so that repeated sends are not absorbed as duplicates; or
--file, sent as is. The event type also goes in the provider's type header,
when it has one.`,
		Example: `  create-webhook-handler send http://localhost:8080/webhooks/stripe \
      --provider stripe --event payment_intent.succeeded --secret "$STRIPE_WEBHOOK_SECRET"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if provider == "" || event == "" || (secret == "" && keyFile == "") {
				return errors.New("send needs --provider, --event, and --secret (or --key for public-key providers)")
			}
			p, err := findProvider(e, provider)
			if err != nil {
				return err
			}
			body, err := sendBody(p, event, file)
			if err != nil {
				return err
			}
			contentType := "application/json"
			if p.ContentType == "form" {
				contentType = "application/x-www-form-urlencoded"
				if file == "" {
					body = formOf(body) // samples of form providers are kept as JSON objects
				}
			}
			o := sign.Options{At: time.Now(), URL: args[0]}
			if publicURL != "" {
				o.URL = publicURL
			}
			if keyFile != "" {
				if o.PrivateKey, err = readPrivateKey(keyFile); err != nil {
					return err
				}
			}
			h, body, err := sign.Delivery(p, body, secret, o)
			if err != nil {
				return err
			}
			req, err := http.NewRequestWithContext(cmd.Context(), http.MethodPost, args[0], bytes.NewReader(body))
			if err != nil {
				return err
			}
			for k, v := range h {
				req.Header[k] = v
			}
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("User-Agent", "create-webhook-handler-send")
			for _, src := range p.Event.Type {
				if src.Header != "" {
					req.Header.Set(src.Header, event)
					break
				}
			}
			for _, src := range p.Event.ID {
				if src.Header != "" && req.Header.Get(src.Header) == "" {
					req.Header.Set(src.Header, uniqueID("delivery"))
					break
				}
			}
			res, err := (&http.Client{Timeout: timeout}).Do(req)
			if err != nil {
				return problem{err}
			}
			defer res.Body.Close()
			reply, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
			fmt.Fprintf(e.stdout, "%s\n%s", res.Status, reply)
			if len(reply) > 0 && reply[len(reply)-1] != '\n' {
				fmt.Fprintln(e.stdout)
			}
			if res.StatusCode >= 300 {
				return problem{fmt.Errorf("the service answered %s", res.Status)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&provider, "provider", "", "provider to send as")
	cmd.Flags().StringVar(&event, "event", "", "event type, as the provider spells it")
	cmd.Flags().StringVar(&secret, "secret", "", "the signing secret, as the service's variable holds it")
	cmd.Flags().StringVar(&keyFile, "key", "", "private key file (PEM), for providers that sign with a key pair (see keygen)")
	cmd.Flags().StringVar(&file, "file", "", "send this body instead of the event's sample")
	cmd.Flags().StringVar(&publicURL, "signed-url", "", "the URL to sign for providers that sign it, when the service sits behind a proxy (default: URL)")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "how long to wait for the answer")
	_ = cmd.RegisterFlagCompletionFunc("provider", completeProviders(e))
	return cmd
}

// sendBody is --file as is, or the event's sample with a fresh id.
func sendBody(p *catalog.Provider, event, file string) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	e, ok := p.Lookup(event)
	if !ok {
		e, ok = p.Lookup(catalog.Wildcard)
	}
	if !ok || e.Sample == nil {
		return nil, fmt.Errorf("%s has no sample for %q: pass --file (its events: %s)", p.Name, event, strings.Join(p.EventNames(), ", "))
	}
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(e.Sample))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return e.Sample, nil
	}
	for _, src := range p.Event.ID {
		if src.JSON != "" && setString(doc, strings.Split(src.JSON, "."), uniqueID) {
			return json.Marshal(doc)
		}
	}
	return e.Sample, nil
}

// setString replaces the string or number at path with a unique value
// derived from it; it reports whether the path was there.
func setString(doc map[string]any, path []string, unique func(string) string) bool {
	for len(path) > 1 {
		next, ok := doc[path[0]].(map[string]any)
		if !ok {
			return false
		}
		doc, path = next, path[1:]
	}
	switch v := doc[path[0]].(type) {
	case string:
		doc[path[0]] = unique(v)
	case json.Number:
		doc[path[0]] = unique(v.String())
	default:
		return false
	}
	return true
}

func uniqueID(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// formOf encodes a JSON object of string fields as a form.
func formOf(body []byte) []byte {
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return body
	}
	v := url.Values{}
	for k, f := range fields {
		v.Set(k, fmt.Sprint(f))
	}
	return []byte(v.Encode())
}
