package catalogimport

import (
	"context"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var (
	githubSpec     = Source{"npm", "@octokit/openapi-webhooks", "12.1.0"}
	githubExamples = Source{"npm", "@octokit/webhooks-examples", "7.6.1"}
)

const (
	githubSpecFile     = "generated/api.github.com.json"
	githubExamplesFile = "api.github.com/index.json"
)

// importGitHub reads GitHub's OpenAPI 3.1 webhooks: one entry per event and
// action. The catalogue's events are GitHub's X-GitHub-Event values; an
// event's schema merges its actions' schemas (each action's payload is valid
// against it, and so is an action GitHub adds later), and the handler
// branches on the payload's action.
func importGitHub(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, githubSpec, githubSpecFile)
	if err != nil {
		return nil, err
	}
	doc, err := openAPI(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", githubSpec.Cite(githubSpecFile), err)
	}
	hooks, err := doc.webhooks()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", githubSpec.Cite(githubSpecFile), err)
	}
	type variant struct {
		action string
		schema any
	}
	variants := map[string][]variant{}
	summary := map[string]string{}
	var roots []any
	for _, h := range hooks {
		event := strings.ReplaceAll(h.group, "-", "_")
		if event == "" {
			return nil, fmt.Errorf("%s: webhook %s has no x-github.subcategory", githubSpec, h.key)
		}
		root, ok := doc.resolve(h.schema)
		if !ok {
			return nil, fmt.Errorf("%s: webhook %s: unresolvable schema", githubSpec, h.key)
		}
		action := ""
		if props, ok := root["properties"].(map[string]any); ok {
			if a, ok := props["action"].(map[string]any); ok {
				if enum, ok := a["enum"].([]any); ok && len(enum) == 1 {
					action, _ = enum[0].(string)
				}
			}
		}
		roots = append(roots, root)
		variants[event] = append(variants[event], variant{action, relaxer{refPrefix: commonRef, numericTimes: true}.schema(root)})
		if summary[event] == "" {
			summary[event] = githubSummary(h.summary)
		}
	}

	res := newResult("github", githubSpec.Cite(githubSpecFile), githubExamples.Cite(githubExamplesFile))
	names := sortedKeys(variants)
	owned := ov.Owned()
	for _, event := range names {
		vs := variants[event]
		var actions []string
		schemas := make([]any, len(vs))
		for i, v := range vs {
			schemas[i] = v.schema
			if v.action != "" {
				actions = append(actions, v.action)
			}
		}
		sort.Strings(actions)
		desc := summary[event]
		if len(actions) > 0 {
			desc += " Actions: " + strings.Join(actions, ", ") + "."
		}
		res.addEvent(event, desc)
		if slices.Contains(owned, event) {
			continue
		}
		s, _ := mergeSchemas(schemas).(map[string]any)
		if s == nil {
			return nil, fmt.Errorf("github %s: the merged schema is not an object schema", event)
		}
		if len(actions) > 1 {
			props, _ := s["properties"].(map[string]any)
			if props != nil {
				props["action"] = map[string]any{"type": "string", "description": "What happened: " + strings.Join(actions, ", ") + " (GitHub may add others)."}
			}
		}
		s["$schema"] = draft
		s["title"] = "GitHub " + event
		s["description"] = desc
		s["type"] = "object"
		res.addSchema(event, s)
		if len(actions) > 0 {
			res.minimal[event] = map[string]any{"action": actions[0]}
		} else {
			res.minimal[event] = map[string]any{}
		}
	}

	// Shared components: every one an event reaches.
	defs := map[string]any{}
	for _, name := range reachable(roots, componentRef, doc.component) {
		s, _ := doc.component(name)
		defs[name] = relaxer{refPrefix: localRef, numericTimes: true}.schema(s)
	}
	res.files[path.Join("events", "github", "common.json")] = commonFile("GitHub shared schemas", defs)

	// Samples: the first published example of each event.
	exRaw, err := f.Read(ctx, githubExamples, githubExamplesFile)
	if err != nil {
		return nil, err
	}
	exDoc, err := decode(exRaw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", githubExamples.Cite(githubExamplesFile), err)
	}
	list, _ := exDoc.([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		name, _ := m["name"].(string)
		examples, _ := m["examples"].([]any)
		if name == "" || len(examples) == 0 {
			continue
		}
		res.sample(name, examples[0])
	}
	return res.finish(owned)
}

// firstSentence is a description's first sentence, on one line.
func firstSentence(s string) string {
	s = firstParagraph(s)
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// mergeSchemas is a schema every value valid against one of schemas is valid
// against, as close to them as the Go types need: equal schemas stay one,
// objects merge their properties, scalars merge their types, and anything
// else becomes an anyOf of the distinct schemas.
func mergeSchemas(schemas []any) any {
	var distinct []any
	seen := map[string]bool{}
	for _, s := range schemas {
		key := string(marshal(s))
		if !seen[key] {
			seen[key] = true
			distinct = append(distinct, s)
		}
	}
	if len(distinct) == 1 {
		return distinct[0]
	}
	allObjects, allScalars := true, true
	for _, s := range distinct {
		m, ok := s.(map[string]any)
		if !ok {
			return map[string]any{}
		}
		_, hasProps := m["properties"]
		_, hasRef := m["$ref"]
		_, hasAnyOf := m["anyOf"]
		_, hasAllOf := m["allOf"]
		if !hasProps || hasRef || hasAnyOf || hasAllOf {
			allObjects = false
		}
		if hasProps || hasRef || hasAnyOf || hasAllOf || m["items"] != nil || m["type"] == nil {
			allScalars = false
		}
	}
	switch {
	case allObjects:
		out := map[string]any{}
		byName := map[string][]any{}
		nullable := false
		for _, s := range distinct {
			m := s.(map[string]any)
			for k, v := range m {
				if k != "properties" && k != "type" && out[k] == nil {
					out[k] = v // the first description and title
				}
			}
			if acceptsNull(m) {
				nullable = true
			}
			for name, p := range m["properties"].(map[string]any) {
				byName[name] = append(byName[name], p)
			}
		}
		props := map[string]any{}
		for name, ps := range byName {
			merged := mergeSchemas(ps)
			if len(ps) < len(distinct) {
				merged = nullable2(merged) // absent in some variants: optional there
			}
			props[name] = merged
		}
		out["properties"] = props
		out["type"] = "object"
		if nullable {
			out["type"] = []any{"object", "null"}
		}
		return out
	case allScalars:
		types := map[string]bool{}
		out := map[string]any{}
		for _, s := range distinct {
			m := s.(map[string]any)
			if d, ok := m["description"]; ok && out["description"] == nil {
				out["description"] = d
			}
			switch t := m["type"].(type) {
			case string:
				types[t] = true
			case []any:
				for _, x := range t {
					if s, ok := x.(string); ok {
						types[s] = true
					}
				}
			}
		}
		list := sortedKeys(types)
		if len(list) == 1 {
			out["type"] = list[0]
		} else {
			tl := make([]any, len(list))
			for i, t := range list {
				tl[i] = t
			}
			out["type"] = tl
		}
		return out
	}
	return map[string]any{"anyOf": distinct}
}

// nullable2 is nullable on a copy (merged schemas may be shared).
func nullable2(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	c := make(map[string]any, len(m))
	for k, val := range m {
		c[k] = val
	}
	return nullable(c)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// githubSummary shortens the spec's "This event occurs when there is
// activity relating to X." to "Activity relating to X.", for lists.
func githubSummary(s string) string {
	s = firstSentence(s)
	for _, prefix := range []string{"This event occurs when there is ", "This event occurs when "} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && rest != "" {
			return strings.ToUpper(rest[:1]) + rest[1:]
		}
	}
	return s
}
