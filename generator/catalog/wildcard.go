package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// exampleType is the type a catch-all's sample carries: one no provider
// sends, so the sample reaches the catch-all whatever else is selected.
const exampleType = "example.created"

// addWildcard gives a provider without a catch-all of its own one: an event
// "*" whose handler receives every event of the provider that has no handler
// of its own, so a type the provider adds later reaches user code instead of
// being recorded as ignored. Its schema is the provider's envelope as far as
// the definition knows it (where the type and id are), accepting anything
// else; its sample is the first event's, carrying an example type.
func addWildcard(p *Provider) {
	if _, ok := p.Lookup(Wildcard); ok || len(p.Events) == 0 {
		return
	}
	props := map[string]any{}
	typeField, idField := topLevelJSON(p.Event.Type), topLevelJSON(p.Event.ID)
	if typeField != "" {
		props[typeField] = map[string]any{"type": "string", "description": "The event type."}
	}
	if idField != "" && idField != typeField {
		props[idField] = map[string]any{"description": "The event id (a string or a number, as the provider sends it)."}
	}
	schema := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"title":       p.Title + " catch-all",
		"description": "Any event of " + p.Title + " without a handler of its own; ev.Type names it and ev.Body holds the payload as received.",
		"properties":  props,
	}
	s, _ := json.MarshalIndent(schema, "", "  ")
	e := &Event{
		Name:        Wildcard,
		Description: "Every event of " + p.Title + " without a handler of its own, including types " + p.Title + " adds later; branch on ev.Type.",
		FileName:    FileName(Wildcard),
		GoName:      GoName(Wildcard),
		Schema:      append(s, '\n'),
		Synthesized: true,
	}
	e.Sample = wildcardSample(p, typeField)
	p.Events = append(p.Events, e)
}

// topLevelJSON is the top-level JSON field the first source reads, if that
// is where it reads.
func topLevelJSON(srcs []Source) string {
	if len(srcs) == 0 || srcs[0].JSON == "" || strings.ContainsAny(srcs[0].JSON, ".+") {
		return ""
	}
	return srcs[0].JSON
}

// wildcardSample is the first sample of the provider, with the example type
// where the type is in the body; nil where the type is read in a way a
// sample cannot simply carry (nested, batched, by field presence).
func wildcardSample(p *Provider, typeField string) []byte {
	var first []byte
	for _, e := range p.Events {
		if e.Sample != nil {
			first = e.Sample
			break
		}
	}
	if first == nil || p.Event.Items != "" || len(p.Event.Type) == 0 {
		return nil
	}
	if p.Event.Type[0].Header != "" {
		return first
	}
	if typeField == "" || p.ContentType == "form" {
		return nil
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(first, &doc) != nil {
		return nil
	}
	doc[typeField], _ = json.Marshal(exampleType)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		panic(fmt.Sprintf("re-encode a decoded sample: %v", err))
	}
	return b.Bytes()
}
