// Package ipranges holds the source addresses that providers publish for
// their webhook deliveries, as presets for a provider's ipAllowlist: the
// entry "preset:github" stands for GitHub's hooks ranges, and mixes with
// plain CIDRs and addresses.
//
// The lists are embedded (ranges.go), each with where and when it was taken;
// they go stale as providers change them. The generator's
// `make refresh-ipranges` fetches them afresh.
package ipranges

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/middleware"
)

// Prefix marks an allowlist entry that names a preset.
const Prefix = "preset:"

// Info says where a preset's ranges come from.
type Info struct {
	Name   string // as in "preset:<name>"
	Source string // where the list was taken from
	Date   string // when, as YYYY-MM-DD
}

// preset is one embedded list (see ranges.go).
type preset struct {
	Source string
	Date   string
	CIDRs  []string
}

// Names lists the presets, sorted.
func Names() []string {
	names := make([]string, 0, len(presets))
	for name := range presets {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Lookup returns a preset's prefixes and where they come from; ok is false
// for an unknown name. Every embedded entry parses (the package's tests
// check it).
func Lookup(name string) (prefixes []netip.Prefix, info Info, ok bool) {
	p, ok := presets[name]
	if !ok {
		return nil, Info{}, false
	}
	for _, c := range p.CIDRs {
		prefixes = append(prefixes, netip.MustParsePrefix(c).Masked())
	}
	return prefixes, Info{Name: name, Source: p.Source, Date: p.Date}, true
}

// Expand reads an allowlist: "preset:<name>" entries become that preset's
// prefixes, anything else is a CIDR or an address (middleware.ParsePrefixes).
// An unknown preset is an error naming the known ones.
func Expand(entries []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, e := range entries {
		name, isPreset := strings.CutPrefix(strings.TrimSpace(e), Prefix)
		if !isPreset {
			p, err := middleware.ParsePrefixes([]string{e})
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
			continue
		}
		p, _, ok := Lookup(strings.ToLower(strings.TrimSpace(name)))
		if !ok {
			return nil, fmt.Errorf("unknown preset %q: the known presets are %s", e, strings.Join(Names(), ", "))
		}
		out = append(out, p...)
	}
	return out, nil
}
