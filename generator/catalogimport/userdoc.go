package catalogimport

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// maxDefaults is how many events a user's import selects by default: every
// event of a small document, the first few of a large one.
const maxDefaults = 20

// FromOpenAPI turns the webhooks of a user's OpenAPI document (3.1
// `webhooks` or 3.0 `x-webhooks`) into a project-local provider named name:
// a definition whose signature, credentials and event sources are those of
// the built-in provider like (its definition's bytes in likeDef), one schema
// per event with the document's components in common.json, and a sample per
// event (the document's first example, else a minimal valid payload). The
// files are keyed by their path under the project's webhooks/providers.
//
// An event is named after the payload's type where the document pins it (a
// const or one-value enum of the field the provider's type is read from),
// else after the webhook's key; webhooks that share a name (GitHub's actions
// under x-github.subcategory) become one event whose schema merges theirs.
func FromOpenAPI(raw []byte, name, title string, like *catalog.Provider, likeDef []byte) (map[string][]byte, error) {
	doc, err := openAPI(raw)
	if err != nil {
		return nil, err
	}
	if v, _ := doc.root["openapi"].(string); !strings.HasPrefix(v, "3.") {
		return nil, fmt.Errorf("/openapi: want an OpenAPI 3.0 or 3.1 document, got %q", v)
	}
	hooks, err := doc.webhooks()
	if err != nil {
		return nil, err
	}
	typeField, idField, err := likeFields(like)
	if err != nil {
		return nil, err
	}
	// GitHub's documents describe date-times as strings where GitHub sends
	// numbers too (its own import allows both); loosening is never wrong.
	rx := relaxer{refPrefix: commonRef, numericTimes: true}
	type group struct {
		schemas  []any
		examples []any
		summary  string
	}
	groups := map[string]*group{}
	var roots []any
	for _, h := range hooks {
		root, ok := doc.resolve(h.schema)
		if !ok {
			return nil, fmt.Errorf("%s/requestBody/content: the schema's $ref names no components.schemas entry", h.pointer)
		}
		event := eventName(doc, h, root, typeField)
		if event == catalog.Wildcard || catalog.FileName(event) == catalog.FileName(catalog.Wildcard) || !catalog.ValidEventName(event) {
			return nil, fmt.Errorf("%s: event name %q: want letters, digits and . _ : / - (at most 100)", h.pointer, event)
		}
		g := groups[event]
		if g == nil {
			g = &group{}
			groups[event] = g
		}
		g.schemas = append(g.schemas, rx.schema(root))
		g.examples = append(g.examples, h.examples...)
		if g.summary == "" {
			g.summary = firstSentence(h.summary)
			if g.summary == "" {
				g.summary = firstSentence(h.description)
			}
		}
		roots = append(roots, root)
	}

	files := map[string][]byte{}
	names := sortedKeys(groups)
	seenFile := map[string]string{}
	var events []map[string]any
	for i, event := range names {
		g := groups[event]
		fileName := catalog.FileName(event)
		if other, ok := seenFile[fileName]; ok {
			return nil, fmt.Errorf("/webhooks: events %q and %q map to the same file name %q: rename one", other, event, fileName)
		}
		seenFile[fileName] = event
		desc := g.summary
		if desc == "" {
			desc = "The " + event + " webhook."
		}
		events = append(events, map[string]any{"name": event, "default": len(names) <= maxDefaults || i < 5, "description": desc})
		s, _ := mergeSchemas(g.schemas).(map[string]any)
		if s == nil {
			s = map[string]any{}
		}
		s["$schema"] = draft
		s["title"] = title + " " + event
		s["description"] = desc
		files[path.Join("events", name, fileName+".json")] = marshal(s)
		// The document's first example, else a minimal payload; either
		// carries the type and id where the provider reads them from the
		// body, so the generated tests can deliver it.
		var sample any = map[string]any{}
		if len(g.examples) > 0 {
			sample = g.examples[0]
		}
		if m, ok := sample.(map[string]any); ok {
			if _, has := m[typeField]; typeField != "" && !has {
				m[typeField] = event
			}
			if _, has := m[idField]; idField != "" && !has {
				m[idField] = "evt_sample_" + catalog.FileName(event)
			}
		}
		files[path.Join("samples", name, fileName+".json")] = marshal(sample)
	}
	defs := map[string]any{}
	for _, n := range reachable(roots, componentRef, doc.component) {
		s, _ := doc.component(n)
		defs[n] = relaxer{refPrefix: localRef, numericTimes: true}.schema(s)
	}
	if len(defs) > 0 {
		files[path.Join("events", name, "common.json")] = commonFile(title+" shared schemas", defs)
	}

	var def map[string]any
	if err := json.Unmarshal(likeDef, &def); err != nil {
		return nil, fmt.Errorf("the definition of %s: %w", like.Name, err)
	}
	def["name"] = name
	def["title"] = title
	def["events"] = events
	delete(def, "$schema")
	files[name+".json"] = marshal(def)
	return files, nil
}

// CheckLike reports why a built-in provider cannot lend its definition to
// an imported one (nil when it can).
func CheckLike(like *catalog.Provider) error {
	_, _, err := likeFields(like)
	return err
}

// likeFields checks that a built-in provider can lend its definition to an
// imported one, and returns the top-level body fields its type and id are
// read from ("" where a header carries them).
func likeFields(like *catalog.Provider) (typeField, idField string, err error) {
	refuse := func(why string) error {
		return fmt.Errorf("--like %s: %s; choose a provider whose event type is a header or a top-level field of a JSON body (standard-webhooks, svix, generic-hmac, github, ...)", like.Name, why)
	}
	switch {
	case like.ContentType != "json":
		return "", "", refuse("its bodies are not JSON")
	case like.Event.Items != "":
		return "", "", refuse("it batches several events in one delivery")
	case like.Signature.Scheme == "hmac-url":
		return "", "", refuse("it signs the URL")
	case like.Handshake != nil:
		return "", "", refuse("it answers a handshake of its own")
	case len(like.Event.Type) == 0:
		return "", "", refuse("it has no event type")
	}
	// Each source a header or a top-level field; the field (if any) is
	// where a sample carries the type or id.
	field := func(srcs []catalog.Source, what string) (string, error) {
		found := ""
		for _, src := range srcs {
			switch {
			case src.Header != "":
			case src.JSON != "" && !strings.ContainsAny(src.JSON, ".+"):
				if found == "" {
					found = src.JSON
				}
			default:
				return "", refuse("it reads the event " + what + " from inside the body")
			}
		}
		return found, nil
	}
	if typeField, err = field(like.Event.Type, "type"); err != nil {
		return "", "", err
	}
	if idField, err = field(like.Event.ID, "id"); err != nil {
		return "", "", err
	}
	return typeField, idField, nil
}

// eventName is the name a webhook's event gets (see FromOpenAPI): the type
// the schema pins (in its properties, or those of its allOf branches and
// their $refs), else the webhook's key.
func eventName(doc *openAPIDoc, h webhook, root map[string]any, typeField string) string {
	if h.group != "" {
		return strings.ReplaceAll(h.group, "-", "_")
	}
	if typeField != "" {
		if t := pinnedType(doc, root, typeField, 0); t != "" {
			return t
		}
	}
	return h.key
}

func pinnedType(doc *openAPIDoc, s map[string]any, field string, depth int) string {
	if depth > 8 {
		return ""
	}
	if props, ok := s["properties"].(map[string]any); ok {
		if p, ok := doc.resolve(props[field]); ok {
			if c, ok := p["const"].(string); ok {
				return c
			}
			if enum, ok := p["enum"].([]any); ok && len(enum) == 1 {
				if s, ok := enum[0].(string); ok {
					return s
				}
			}
		}
	}
	branches, _ := s["allOf"].([]any)
	for _, b := range branches {
		if bm, ok := doc.resolve(b); ok {
			if t := pinnedType(doc, bm, field, depth+1); t != "" {
				return t
			}
		}
	}
	return ""
}

// SortedPaths lists a file map's paths in order.
func SortedPaths(files map[string][]byte) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
