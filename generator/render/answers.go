package render

import (
	"errors"
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
// and '/', so '=' separates them). An EVENT may be a pattern (see
// ExpandEvent); Normalize expands it.
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
// canonical form: providers sorted, event patterns expanded (see
// ExpandEvent), events in definition order and deduplicated, defaults filled
// in. Every error names the problem and the fix; events that match nothing
// are reported together, each with the closest names the provider has.
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
	var unknownIn []string           // providers with unknown events, in the order given
	unknown := map[string][]string{} // provider → its unknown names and patterns, once each
	for _, s := range a.Providers {
		p, ok := c.Provider(s.Name)
		if !ok {
			return a, fmt.Errorf("unknown provider %q: run `create-webhook-handler providers list` to see the %d providers", s.Name, len(c.Names()))
		}
		events := s.Events
		if len(events) == 0 {
			events = p.DefaultEvents()
		}
		var selected []string
		for _, e := range events {
			matched := ExpandEvent(p, e)
			if len(matched) == 0 {
				if len(unknown[p.Name]) == 0 {
					unknownIn = append(unknownIn, p.Name)
				}
				if !slices.Contains(unknown[p.Name], e) {
					unknown[p.Name] = append(unknown[p.Name], e)
				}
			}
			selected = append(selected, matched...)
		}
		merged[p.Name] = append(merged[p.Name], selected...)
	}
	if len(unknownIn) > 0 {
		msgs := make([]string, len(unknownIn))
		for i, name := range unknownIn {
			p, _ := c.Provider(name)
			msgs[i] = unknownEvents(p, unknown[name])
		}
		return a, errors.New(strings.Join(msgs, "; "))
	}
	out := Answers{Module: a.Module, Store: a.Store}
	for name, events := range merged {
		p, _ := c.Provider(name)
		chosen := make(map[string]bool, len(events))
		for _, e := range events {
			chosen[e] = true
		}
		var ordered []string
		for _, e := range p.EventNames() {
			if chosen[e] {
				ordered = append(ordered, e)
			}
		}
		out.Providers = append(out.Providers, Selection{Name: name, Events: ordered})
	}
	sort.Slice(out.Providers, func(i, j int) bool { return out.Providers[i].Name < out.Providers[j].Name })
	return out, nil
}

// IsEventPattern reports whether an event selection is a pattern: it holds a
// '*' and is not the lone "*", which names the provider's catch-all event
// (catalog.Wildcard). Event names hold no '*' of their own.
func IsEventPattern(s string) bool {
	return s != catalog.Wildcard && strings.Contains(s, "*")
}

// MatchEventPattern reports whether the whole of name matches pattern, in
// which each '*' stands for any run of characters ('.', '/' and ':'
// included, or none) and every other character for itself. Matching is
// case-sensitive, as event names are; fold both sides for a looser match.
func MatchEventPattern(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(name) < len(first)+len(last) || !strings.HasPrefix(name, first) || !strings.HasSuffix(name, last) {
		return false
	}
	// The middle parts in order, each as early as it occurs, between the
	// prefix and the suffix: the earliest match leaves the most room.
	rest := name[len(first) : len(name)-len(last)]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, part)
		if i < 0 {
			return false
		}
		rest = rest[i+len(part):]
	}
	return true
}

// ExpandEvent is what one event selection selects of p's events, in
// definition order: the named event, or for a pattern (IsEventPattern) every
// event whose name it matches. A pattern never selects the catch-all event:
// only "*" itself does. Nil means nothing matched.
func ExpandEvent(p *catalog.Provider, selection string) []string {
	if !IsEventPattern(selection) {
		if _, ok := p.Lookup(selection); ok {
			return []string{selection}
		}
		return nil
	}
	var out []string
	for _, e := range p.Events {
		if e.Name != catalog.Wildcard && MatchEventPattern(selection, e.Name) {
			out = append(out, e.Name)
		}
	}
	return out
}

// unknownEvents is the message for the event selections of p that match
// nothing: each with the closest names p has, then how to see them all.
func unknownEvents(p *catalog.Provider, unknown []string) string {
	run := fmt.Sprintf("run `create-webhook-handler providers show %s` to see its events", p.Name)
	if len(unknown) == 1 {
		u := unknown[0]
		hint := unknownHint(p, u, false)
		if IsEventPattern(u) {
			return fmt.Sprintf("event pattern %q matches no event of provider %s%s: %s", u, p.Name, hint, run)
		}
		return fmt.Sprintf("unknown event %q for provider %s%s: %s", u, p.Name, hint, run)
	}
	items := make([]string, len(unknown))
	for i, u := range unknown {
		items[i] = fmt.Sprintf("%q%s", u, unknownHint(p, u, true))
	}
	return fmt.Sprintf("unknown events for provider %s: %s; %s", p.Name, strings.Join(items, ", "), run)
}

// maxSuggestions is how many close names an unknown event is offered.
const maxSuggestions = 3

// unknownHint is " (did you mean A, B?)" for an unknown event or a pattern
// that matched nothing, or why there is nothing to suggest. inList says the
// hint follows the selection in a list, where a pattern must say it matched
// nothing.
func unknownHint(p *catalog.Provider, selection string, inList bool) string {
	var notes []string
	if inList && IsEventPattern(selection) {
		notes = append(notes, "matches no event")
	}
	if selection == catalog.Wildcard {
		notes = append(notes, "the provider has no catch-all event")
	} else if near := SuggestEvents(p, selection, maxSuggestions); len(near) > 0 {
		notes = append(notes, "did you mean "+strings.Join(near, ", ")+"?")
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// SuggestEvents returns up to n of p's event names closest to selection (a
// name or a pattern), closest first, ties in definition order; none when
// nothing is close. Closeness is the edit distance (insertions, deletions,
// substitutions and swaps of neighbours, ignoring case, a pattern's '*'
// matching any run for free): within a third of the selection's length, at
// least 2, so "invoice_paid" finds "invoice.paid" and
// "checkout.session.complete" finds "checkout.session.completed". A name
// that contains the selection ("subscription.created" in
// "customer.subscription.created") is close too, after those. The lone "*"
// (the catch-all, not a pattern) has no suggestions.
func SuggestEvents(p *catalog.Provider, selection string, n int) []string {
	if selection == catalog.Wildcard {
		return nil
	}
	query := []rune(strings.ToLower(selection))
	literal := len(query) - strings.Count(selection, "*")
	limit := max(2, literal/3)
	type candidate struct {
		name string
		d    int
	}
	var cands []candidate
	for _, e := range p.Events {
		if e.Name == catalog.Wildcard {
			continue
		}
		name := strings.ToLower(e.Name)
		d := editDistance(query, []rune(name))
		if d > limit {
			if literal < 3 || !MatchEventPattern("*"+string(query)+"*", name) {
				continue
			}
			d = limit + 1
		}
		cands = append(cands, candidate{e.Name, d})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return a.d - b.d })
	out := make([]string, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.name)
	}
	return out
}

// editDistance is the optimal string alignment distance from pattern to
// name: insertions, deletions, substitutions and transpositions of adjacent
// runes cost 1 each, and a '*' in pattern matches any run of name for free.
func editDistance(pattern, name []rune) int {
	// d[i][j] is the distance from pattern[:i] to name[:j].
	d := make([][]int, len(pattern)+1)
	for i := range d {
		d[i] = make([]int, len(name)+1)
	}
	for j := range name {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(pattern); i++ {
		star := pattern[i-1] == '*'
		if star {
			d[i][0] = d[i-1][0]
		} else {
			d[i][0] = d[i-1][0] + 1
		}
		for j := 1; j <= len(name); j++ {
			if star {
				d[i][j] = min(d[i-1][j], d[i][j-1]) // the star matches nothing more, or name[j-1] too
				continue
			}
			cost := 1
			if pattern[i-1] == name[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && pattern[i-1] == name[j-2] && pattern[i-2] == name[j-1] && pattern[i-2] != '*' {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(pattern)][len(name)]
}
