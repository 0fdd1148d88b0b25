package render

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// Answers is everything a user decides about a project. The manifest
// records it, so a rerun or a check renders the same project.
type Answers struct {
	Module    string      `json:"module"`
	Store     string      `json:"store"`
	Providers []Selection `json:"providers"`
}

// Selection is one provider and its chosen events.
type Selection struct {
	Name   string   `json:"name"`
	Events []string `json:"events"`
}

// Stores are the supported stores.
var Stores = []string{"sqlite", "postgres"}

// ParseProviderFlag parses NAME or NAME=EVENT,EVENT (events may contain ':'
// and '/', so '=' separates them).
func ParseProviderFlag(v string) (Selection, error) {
	name, events, hasEvents := strings.Cut(v, "=")
	s := Selection{Name: strings.TrimSpace(name)}
	if s.Name == "" {
		return s, fmt.Errorf("--provider %q: the provider name is empty", v)
	}
	if hasEvents {
		for _, e := range strings.Split(events, ",") {
			if e = strings.TrimSpace(e); e != "" {
				s.Events = append(s.Events, e)
			}
		}
		if len(s.Events) == 0 {
			return s, fmt.Errorf("--provider %q: no events after '='; omit '=' for the provider's default events", v)
		}
	}
	return s, nil
}

var modulePathRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*(/[A-Za-z0-9_.~-]+)*$`)

// Normalize checks the answers against the catalogue and returns them in
// canonical form: providers sorted, events in definition order, defaults
// filled in. Every error names the problem and the fix.
func Normalize(a Answers, c *catalog.Catalog) (Answers, error) {
	if a.Module == "" {
		return a, fmt.Errorf("no module path: pass --module, e.g. --module github.com/acme/hooks")
	}
	if err := module.CheckPath(a.Module); err != nil || !modulePathRE.MatchString(a.Module) {
		return a, fmt.Errorf("invalid module path %q: use a Go module path such as github.com/acme/hooks", a.Module)
	}
	if a.Store == "" {
		a.Store = "sqlite"
	}
	if !slices.Contains(Stores, a.Store) {
		return a, fmt.Errorf("unknown store %q: use --store sqlite or --store postgres", a.Store)
	}
	if len(a.Providers) == 0 {
		return a, fmt.Errorf("no provider: pass --provider NAME (one of: %s)", strings.Join(c.Names(), ", "))
	}
	merged := map[string][]string{}
	for _, s := range a.Providers {
		p, ok := c.Provider(s.Name)
		if !ok {
			return a, fmt.Errorf("unknown provider %q: run `create-webhook-handler providers list` to see the %d providers", s.Name, len(c.Names()))
		}
		events := s.Events
		if len(events) == 0 {
			events = p.DefaultEvents()
		}
		for _, e := range events {
			if _, ok := p.Lookup(e); !ok {
				return a, fmt.Errorf("unknown event %q for provider %s: run `create-webhook-handler providers show %s` to see its events", e, p.Name, p.Name)
			}
		}
		merged[p.Name] = append(merged[p.Name], events...)
	}
	out := Answers{Module: a.Module, Store: a.Store}
	for name, events := range merged {
		p, _ := c.Provider(name)
		var ordered []string
		for _, e := range p.EventNames() {
			if slices.Contains(events, e) {
				ordered = append(ordered, e)
			}
		}
		out.Providers = append(out.Providers, Selection{Name: name, Events: ordered})
	}
	sort.Slice(out.Providers, func(i, j int) bool { return out.Providers[i].Name < out.Providers[j].Name })
	return out, nil
}
