package catalogimport

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// The JSON Schema dialect of the catalogue.
const draft = "https://json-schema.org/draft/2020-12/schema"

// decode reads JSON keeping numbers exact.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// marshal writes JSON the way every catalogue file is written: two-space
// indent, keys sorted, no HTML escaping, a final newline.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices, strings, numbers and bools reach here
	}
	return b.Bytes()
}

// componentRef is how OpenAPI documents point at a shared schema.
const componentRef = "#/components/schemas/"

// Where shared schemas live in the catalogue: a provider's common.json.
const (
	commonRef = "common.json#/$defs/" // from an event schema
	localRef  = "#/$defs/"            // inside common.json
)

// pointerEscape escapes a name as one JSON Pointer token.
func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func pointerUnescape(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// componentName is the component a $ref names, or "".
func componentName(ref string) string {
	if name, ok := strings.CutPrefix(ref, componentRef); ok {
		return pointerUnescape(name)
	}
	return ""
}

// relaxer converts OpenAPI schemas into catalogue schemas that are never
// stricter than the provider: payloads rendered in older API versions, new
// enum values and fields a spec forgot must not be dead-lettered. It keeps
// the types (they give the Go types) and the structure, and drops every
// assertion a real payload has been seen to break: required fields below the
// envelope, enums, formats, lengths, patterns, closed objects. A property the
// spec marks optional or nullable also accepts null.
type relaxer struct {
	// refPrefix replaces componentRef in $refs.
	refPrefix string
	// numericTimes: a date-time string may come as a number of Unix
	// seconds too (GitHub sends repository.created_at so in push events,
	// and installation timestamps so everywhere).
	numericTimes bool
}

// schema relaxes one schema (a copy; the input is not changed). It keeps
// only what gives structure and types, an allow-list: any other keyword
// (enum, const, format, lengths, patterns, required, closed or unevaluated
// properties, patternProperties, dependentRequired, prefixItems, not,
// if/then/else, x- extensions, ...) can only make a schema stricter.
func (r relaxer) schema(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v // true, false: leave as is
	}
	out := map[string]any{}
	for k, val := range m {
		switch k {
		case "$ref":
			ref, _ := val.(string)
			if name := componentName(ref); name != "" {
				ref = r.refPrefix + pointerEscape(name)
			}
			out[k] = ref
		case "description":
			if d := firstParagraph(val); d != "" {
				out[k] = d
			}
		case "title", "type":
			out[k] = val
		case "properties":
			props, _ := val.(map[string]any)
			required := map[string]bool{}
			if req, ok := m["required"].([]any); ok {
				for _, x := range req {
					if s, ok := x.(string); ok {
						required[s] = true
					}
				}
			}
			rp := map[string]any{}
			for name, p := range props {
				p = r.schema(p)
				if !required[name] {
					p = nullable(p)
				}
				rp[name] = p
			}
			out[k] = rp
		case "additionalProperties":
			// An open object is the default; a schema for extra keys is
			// kept only on a map (no properties of its own).
			if _, hasProps := m["properties"]; !hasProps {
				if sub, ok := val.(map[string]any); ok {
					out[k] = r.schema(sub)
				}
			}
		case "items":
			if _, isSchema := val.(map[string]any); isSchema {
				out[k] = r.schema(val)
			}
		case "$defs", "definitions":
			defs, _ := val.(map[string]any)
			rd := map[string]any{}
			for name, d := range defs {
				rd[name] = r.schema(d)
			}
			out[k] = rd
		case "anyOf", "oneOf", "allOf":
			// oneOf fails a value that matches two branches: anyOf never does.
			key := k
			if k == "oneOf" {
				key = "anyOf"
			}
			list, _ := val.([]any)
			rl := make([]any, len(list))
			for i, b := range list {
				rl[i] = r.schema(b)
			}
			out[key] = rl
		}
	}
	if r.numericTimes && m["format"] == "date-time" {
		switch t := out["type"].(type) {
		case string:
			if t == "string" {
				out["type"] = []any{"integer", "string"}
			}
		case []any:
			if len(t) == 2 && (t[0] == "string" && t[1] == "null" || t[0] == "null" && t[1] == "string") {
				out["type"] = []any{"integer", "null", "string"}
			}
		}
	}
	if n, _ := m["nullable"].(bool); n {
		return nullable(out)
	}
	return out
}

// nullable makes a schema accept null too.
func nullable(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	switch t := m["type"].(type) {
	case string:
		if t == "null" {
			return m
		}
		m["type"] = []any{t, "null"}
		return m
	case []any:
		for _, x := range t {
			if x == "null" {
				return m
			}
		}
		m["type"] = append(t, "null")
		return m
	}
	if branches, ok := m["anyOf"].([]any); ok {
		for _, b := range branches {
			if acceptsNull(b) {
				return m
			}
		}
		m["anyOf"] = append(branches, map[string]any{"type": "null"})
		return m
	}
	if len(m) == 0 || (len(m) == 1 && m["description"] != nil) || (len(m) == 1 && m["title"] != nil) {
		return m // anything, null included
	}
	// A $ref or an allOf: wrap it, keeping the description outside.
	inner := map[string]any{}
	out := map[string]any{}
	for k, val := range m {
		if k == "description" || k == "title" {
			out[k] = val
		} else {
			inner[k] = val
		}
	}
	out["anyOf"] = []any{inner, map[string]any{"type": "null"}}
	return out
}

func acceptsNull(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return v == true
	}
	switch t := m["type"].(type) {
	case string:
		return t == "null"
	case []any:
		for _, x := range t {
			if x == "null" {
				return true
			}
		}
	}
	return false
}

// firstParagraph keeps a description's first paragraph, on one line.
func firstParagraph(v any) string {
	s, _ := v.(string)
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}

// collectRefs adds to seen the component names a schema refers to.
func collectRefs(v any, prefix string, seen map[string]bool, order *[]string) {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if name, ok := strings.CutPrefix(ref, prefix); ok {
				name = pointerUnescape(name)
				if !seen[name] {
					seen[name] = true
					*order = append(*order, name)
				}
			}
		}
		for _, val := range x {
			collectRefs(val, prefix, seen, order)
		}
	case []any:
		for _, val := range x {
			collectRefs(val, prefix, seen, order)
		}
	}
}

// reachable lists the components reachable from roots (names), through
// get; sorted.
func reachable(roots []any, prefix string, get func(string) (any, bool)) []string {
	seen := map[string]bool{}
	var queue []string
	for _, r := range roots {
		collectRefs(r, prefix, seen, &queue)
	}
	for i := 0; i < len(queue); i++ {
		if s, ok := get(queue[i]); ok {
			collectRefs(s, prefix, seen, &queue)
		}
	}
	sort.Strings(queue)
	return queue
}

// commonFile is a provider's shared schemas: {"$defs": {...}}.
func commonFile(title string, defs map[string]any) []byte {
	return marshal(map[string]any{
		"$schema":     draft,
		"title":       title,
		"description": "Shared schemas of the provider's events, imported; event schemas refer to them as common.json#/$defs/NAME.",
		"$defs":       defs,
	})
}
