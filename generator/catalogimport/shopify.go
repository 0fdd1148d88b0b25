package catalogimport

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var shopifyTopics = Source{"npm", "@shopify/dev-mcp", "1.16.0"}

// The Admin GraphQL schema of the newest stable API version in the package.
const shopifySchemaFile = "dist/data/admin_2026-10.json.gz"

// shopifyTopicRE finds the REST topic (the X-Shopify-Topic value) in an enum
// value's description: "The webhook topic for `orders/create` events."
var shopifyTopicRE = regexp.MustCompile("^The webhook topic for `([^`]+)` events\\.?\\s*")

// importShopify reads the WebhookSubscriptionTopic enum of Shopify's Admin
// GraphQL schema. Shopify publishes no payload schemas, so each topic gets
// the overlay's envelope; the mandatory compliance topics, which the enum
// lacks, are the overlay's own.
func importShopify(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	gz, err := f.Read(ctx, shopifyTopics, shopifySchemaFile)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shopifyTopics.Cite(shopifySchemaFile), err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shopifyTopics.Cite(shopifySchemaFile), err)
	}
	var schema struct {
		Data struct {
			Schema struct {
				Types []struct {
					Name       string `json:"name"`
					EnumValues []struct {
						Name         string `json:"name"`
						Description  string `json:"description"`
						IsDeprecated bool   `json:"isDeprecated"`
					} `json:"enumValues"`
				} `json:"types"`
			} `json:"__schema"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		return nil, fmt.Errorf("%s: %w", shopifyTopics.Cite(shopifySchemaFile), err)
	}
	res := newResult("shopify", shopifyTopics.Cite(shopifySchemaFile+" WebhookSubscriptionTopic"))
	found := false
	for _, t := range schema.Data.Schema.Types {
		if t.Name != "WebhookSubscriptionTopic" {
			continue
		}
		found = true
		for _, v := range t.EnumValues {
			text := strings.Join(strings.Fields(v.Description), " ")
			m := shopifyTopicRE.FindStringSubmatch(text)
			if m == nil {
				return nil, fmt.Errorf("%s: WebhookSubscriptionTopic.%s: no topic in its description %q", shopifyTopics, v.Name, v.Description)
			}
			topic := m[1]
			desc := firstSentence(strings.TrimPrefix(text, m[0]))
			if desc == "" {
				desc = "The " + topic + " topic."
			}
			if v.IsDeprecated {
				desc += " (Deprecated.)"
			}
			res.addEvent(topic, desc)
			if err := envelopeEvent(res, ov, "Shopify", topic, desc); err != nil {
				return nil, err
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: no WebhookSubscriptionTopic enum", shopifyTopics.Cite(shopifySchemaFile))
	}
	return res.finish(ov.Owned())
}

// envelopeEvent gives an event of a name-only source the overlay's envelope
// schema, titled, and its sample.
func envelopeEvent(res *Result, ov *catalog.Overlay, title, event, desc string) error {
	if slices.Contains(ov.Owned(), event) {
		return nil
	}
	if len(ov.Envelope) == 0 || len(ov.Sample) == 0 {
		return fmt.Errorf("%s: the overlay needs an envelope and a sample (the source has names only)", res.provider)
	}
	env, err := decode(ov.Envelope)
	if err != nil {
		return fmt.Errorf("%s overlay envelope: %w", res.provider, err)
	}
	s, ok := env.(map[string]any)
	if !ok {
		return fmt.Errorf("%s overlay envelope: not an object schema", res.provider)
	}
	s["$schema"] = draft
	s["title"] = title + " " + event
	s["description"] = desc
	res.addSchema(event, s)
	quoted, _ := json.Marshal(event)
	sample, err := decode(bytes.ReplaceAll(ov.Sample, []byte(`"{{event}}"`), quoted))
	if err != nil {
		return fmt.Errorf("%s overlay sample: %w", res.provider, err)
	}
	res.minimal[event] = sample
	return nil
}
