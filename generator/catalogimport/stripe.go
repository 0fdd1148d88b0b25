package catalogimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var stripeMock = Source{"go", "github.com/stripe/stripe-mock", "v0.203.0"}

const (
	stripeSpecFile     = "embedded/openapi/spec3.json"
	stripeBetaSpecFile = "embedded/openapi/spec3.beta.sdk.json"
	stripeFixturesFile = "embedded/openapi/fixtures3.json"
)

// stripeEnvelope is what every Stripe event carries in every API version.
var stripeEnvelope = []any{"id", "object", "type", "created", "data"}

// importStripe reads Stripe's OpenAPI 3.0 documents: the GA event types are
// the enabled_events enum of POST /v1/webhook_endpoints; each event's
// data.object is the schema of the component named after the event type
// (x-stripeEvent, in the SDK spec), wrapped in the Event envelope. Shared
// resources come from the GA spec, or the SDK spec for the few only it has.
// Samples wrap stripe-mock's resource fixtures in the envelope.
func importStripe(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	var docs [2]*openAPIDoc
	for i, file := range []string{stripeSpecFile, stripeBetaSpecFile} {
		raw, err := f.Read(ctx, stripeMock, file)
		if err != nil {
			return nil, err
		}
		if docs[i], err = openAPI(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", stripeMock.Cite(file), err)
		}
	}
	ga, sdk := docs[0], docs[1]
	component := func(name string) (any, bool) {
		if s, ok := ga.component(name); ok {
			return s, true
		}
		return sdk.component(name)
	}
	types, err := stripeEventTypes(ga)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stripeMock.Cite(stripeSpecFile), err)
	}
	envelope, ok := ga.component("event")
	if !ok {
		return nil, fmt.Errorf("%s: no components.schemas.event", stripeMock.Cite(stripeSpecFile))
	}
	apiVersion := ""
	if info, ok := ga.root["info"].(map[string]any); ok {
		apiVersion, _ = info["version"].(string)
	}
	fixtures, err := stripeFixtures(ctx, f)
	if err != nil {
		return nil, err
	}

	res := newResult("stripe", stripeMock.Cite(stripeSpecFile), stripeMock.Cite(stripeBetaSpecFile), stripeMock.Cite(stripeFixturesFile))
	owned := ov.Owned()
	roots := []any{envelope}
	for _, typ := range types {
		ev, ok := sdk.resolve(map[string]any{"$ref": componentRef + pointerEscape(typ)})
		props, _ := ev["properties"].(map[string]any)
		if !ok || props["object"] == nil {
			return nil, fmt.Errorf("%s: no x-stripeEvent component %q with an object", stripeMock.Cite(stripeBetaSpecFile), typ)
		}
		object := props["object"]
		roots = append(roots, object)
		res.addEvent(typ, firstSentence(fmt.Sprint(ev["description"])))
		if slices.Contains(owned, typ) {
			continue
		}
		res.addSchema(typ, stripeEventSchema(envelope, object, typ))

		resource := ""
		if m, ok := object.(map[string]any); ok {
			resource = componentName(fmt.Sprint(m["$ref"]))
			if resource == "" {
				if branches, ok := m["anyOf"].([]any); ok && len(branches) > 0 {
					first, _ := branches[0].(map[string]any)
					resource = componentName(fmt.Sprint(first["$ref"]))
				}
			}
		}
		if fx, ok := fixtures[resource]; ok {
			res.sample(typ, stripeEvent(typ, apiVersion, fx))
		}
		res.minimal[typ] = stripeEvent(typ, apiVersion, map[string]any{"id": resource + "_minimal", "object": resource})
	}
	defs := map[string]any{}
	for _, name := range reachable(roots, componentRef, component) {
		s, _ := component(name)
		defs[name] = relaxer{refPrefix: localRef}.schema(s)
		if _, isGA := ga.component(name); !isGA {
			// A preview resource's fixture shows how Stripe renders it
			// today, where the preview spec may differ (billing.alert_triggered
			// has a numeric value in the fixture, a string in the spec).
			widenToFixture(defs[name], fixtures[name])
		}
	}
	res.files[path.Join("events", "stripe", "common.json")] = commonFile("Stripe shared schemas", defs)
	return res.finish(owned)
}

// stripeEventTypes is the enabled_events enum, without the "*" wildcard.
func stripeEventTypes(ga *openAPIDoc) ([]string, error) {
	const where = "/paths/~1v1~1webhook_endpoints/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/enabled_events/items/enum"
	v := any(ga.root)
	for _, key := range []string{"paths", "/v1/webhook_endpoints", "post", "requestBody", "content", "application/x-www-form-urlencoded", "schema", "properties", "enabled_events", "items", "enum"} {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not found", where)
		}
		v = m[key]
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("%s: not found", where)
	}
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok && s != "*" {
			out = append(out, s)
		}
	}
	return out, nil
}

// stripeEventSchema wraps an event's data.object schema in the envelope.
func stripeEventSchema(envelope, object any, typ string) map[string]any {
	s := relaxer{refPrefix: commonRef}.schema(envelope).(map[string]any)
	props := s["properties"].(map[string]any)
	props["type"] = map[string]any{"type": "string", "const": typ, "description": "The event type."}
	props["data"] = map[string]any{
		"type":        "object",
		"description": "The object the event is about, as rendered in the event's api_version.",
		"properties": map[string]any{
			"object": relaxer{refPrefix: commonRef}.schema(object),
			"previous_attributes": map[string]any{
				"type":        []any{"object", "null"},
				"description": "The changed attributes' previous values (*.updated events).",
			},
		},
		"required": []any{"object"},
	}
	s["$schema"] = draft
	s["title"] = "Stripe " + typ
	s["required"] = stripeEnvelope
	return s
}

// stripeEvent is a sample delivery of an event about obj.
func stripeEvent(typ, apiVersion string, obj any) map[string]any {
	sum := sha256.Sum256([]byte(typ))
	return map[string]any{
		"id":               "evt_" + hex.EncodeToString(sum[:12]),
		"object":           "event",
		"api_version":      apiVersion,
		"created":          json.Number("1767225600"),
		"data":             map[string]any{"object": obj},
		"livemode":         false,
		"pending_webhooks": json.Number("1"),
		"request":          map[string]any{"id": nil, "idempotency_key": nil},
		"type":             typ,
	}
}

// stripeFixtures are stripe-mock's resource fixtures, by component name.
func stripeFixtures(ctx context.Context, f *Fetcher) (map[string]any, error) {
	raw, err := f.Read(ctx, stripeMock, stripeFixturesFile)
	if err != nil {
		return nil, err
	}
	v, err := decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stripeMock.Cite(stripeFixturesFile), err)
	}
	m, _ := v.(map[string]any)
	res, _ := m["resources"].(map[string]any)
	if len(res) == 0 {
		return nil, fmt.Errorf("%s: /resources: none", stripeMock.Cite(stripeFixturesFile))
	}
	return res, nil
}

// widenToFixture lets each scalar property of a schema also take the JSON
// type its fixture holds.
func widenToFixture(schema, fixture any) {
	s, _ := schema.(map[string]any)
	fx, _ := fixture.(map[string]any)
	props, _ := s["properties"].(map[string]any)
	for name, v := range fx {
		p, _ := props[name].(map[string]any)
		if p == nil || v == nil {
			continue
		}
		var t string
		switch v := v.(type) {
		case string:
			t = "string"
		case json.Number:
			t = "number"
			if !strings.ContainsAny(v.String(), ".eE") {
				t = "integer"
			}
		case bool:
			t = "boolean"
		default:
			continue
		}
		types := []any{}
		switch x := p["type"].(type) {
		case string:
			types = append(types, x)
		case []any:
			types = append(types, x...)
		default:
			continue // not a plain scalar: leave it
		}
		has := false
		for _, x := range types {
			if x == t || (t == "integer" && x == "number") {
				has = true
			}
		}
		if !has {
			types = append(types, t)
			sort.Slice(types, func(i, j int) bool { return fmt.Sprint(types[i]) < fmt.Sprint(types[j]) })
			p["type"] = types
		}
	}
}
