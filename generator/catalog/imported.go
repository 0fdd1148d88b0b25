package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// OverlaySuffix names a provider's overlay beside its definition:
// providers/<name>.overlay.json.
const OverlaySuffix = ".overlay.json"

// ImportedDir holds the event lists imported from the providers' own
// sources (schemas/catalog/<name>.json), written by cmd/import-catalog only.
const ImportedDir = "catalog"

// Imported is an imported event list: what cmd/import-catalog writes to
// schemas/catalog/<name>.json. The event schemas and samples it imports sit
// in schemas/events/<name>/ and schemas/samples/<name>/ as for any provider.
type Imported struct {
	// Sources names every pinned source the import read.
	Sources []string        `json:"sources"`
	Events  []ImportedEvent `json:"events"`
}

// ImportedEvent is one event of an imported list.
type ImportedEvent struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Overlay is what people write about a provider whose events are imported:
// the default selection, better descriptions, and events the source lacks.
// It never lives inside an imported file, so an import cannot erase it.
type Overlay struct {
	// Defaults are the events selected when the user names none: the ones
	// most integrations need, from the provider's own guides.
	Defaults []string `json:"defaults"`
	// Descriptions replace the source's description of an event.
	Descriptions map[string]string `json:"descriptions,omitempty"`
	// Events are events the source lacks (Shopify's compliance topics);
	// their schemas and samples are written by hand.
	Events []ImportedEvent `json:"events,omitempty"`
	// Handwritten are imported events whose schema and sample are written
	// by hand (richer than a name-only source gives); the import leaves
	// their files alone.
	Handwritten []string `json:"handwritten,omitempty"`
	// HandwrittenCommon: the provider's common.json is written by hand
	// (its hand-written schemas refer to it), not imported.
	HandwrittenCommon bool `json:"handwrittenCommon,omitempty"`
	// Envelope is the schema of every event of a provider whose source
	// lists names only (the import gives each event a copy, titled).
	Envelope json.RawMessage `json:"envelope,omitempty"`
	// Sample is the sample of such an event, "{{event}}" replaced by its
	// name (JSON-quoted).
	Sample json.RawMessage `json:"sample,omitempty"`
}

// Owned lists the events whose schema and sample files are written by hand.
func (o *Overlay) Owned() []string {
	out := slices.Clone(o.Handwritten)
	for _, e := range o.Events {
		out = append(out, e.Name)
	}
	return out
}

// The definition schema's patterns for names (schemas/provider.schema.json):
// names that do not come from a definition (imported lists, a user's OpenAPI
// document, a flag) are held to them too, since they reach file paths and
// generated code.
var (
	eventNameRE    = regexp.MustCompile(`^(\*|[A-Za-z0-9][A-Za-z0-9 ._:/-]*)$`)
	providerNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// ValidEventName reports whether name may name an event: the schema's
// pattern, at most 100 characters ("*" is the catch-all).
func ValidEventName(name string) bool { return len(name) <= 100 && eventNameRE.MatchString(name) }

// ValidProviderName reports whether name may name a provider: the schema's
// pattern, at most 40 characters.
func ValidProviderName(name string) bool { return len(name) <= 40 && providerNameRE.MatchString(name) }

// ReadOverlay reads providers/<name>.overlay.json from defs; nil when the
// provider has none.
func ReadOverlay(defs fs.FS, name string) (*Overlay, error) {
	b, err := fs.ReadFile(defs, name+OverlaySuffix)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var o Overlay
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&o); err != nil {
		return nil, fmt.Errorf("%s%s: %w", name, OverlaySuffix, err)
	}
	return &o, nil
}

// ReadImported reads schemas/catalog/<name>.json; nil when the provider's
// events are not imported.
func ReadImported(fsys fs.FS, name string) (*Imported, error) {
	b, err := fs.ReadFile(fsys, path.Join(ImportedDir, name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var im Imported
	if err := json.Unmarshal(b, &im); err != nil {
		return nil, fmt.Errorf("schemas/%s/%s.json: %w", ImportedDir, name, err)
	}
	return &im, nil
}

// attachImported gives a provider whose events are imported its event list:
// the imported events, then the overlay's own, with the overlay's defaults
// and descriptions. A definition lists its events itself only when they are
// not imported.
func attachImported(p *Provider, defs, eventsFS fs.FS, label string) error {
	file := label + "/" + p.Name + ".json"
	im, err := ReadImported(eventsFS, p.Name)
	if err != nil {
		return err
	}
	ov, err := ReadOverlay(defs, p.Name)
	if err != nil {
		return fmt.Errorf("%s/%w", label, err)
	}
	switch {
	case im == nil && ov != nil:
		return fmt.Errorf("%s/%s%s: an overlay needs an imported event list (schemas/%s/%s.json); run make catalog", label, p.Name, OverlaySuffix, ImportedDir, p.Name)
	case im == nil && len(p.Events) == 0:
		return fmt.Errorf("%s: /events: a provider needs at least one event", file)
	case im == nil:
		return nil
	case len(p.Events) > 0:
		return fmt.Errorf("%s: /events: the events of %s are imported (schemas/%s/%s.json): list defaults and additions in %s%s instead", file, p.Name, ImportedDir, p.Name, p.Name, OverlaySuffix)
	}
	if ov == nil {
		ov = &Overlay{}
	}
	p.Imported = true
	ovFile := label + "/" + p.Name + OverlaySuffix
	for _, e := range append(slices.Clone(im.Events), ov.Events...) {
		if !ValidEventName(e.Name) {
			return fmt.Errorf("%s: event name %q: want letters, digits and . _ : / - (at most 100)", file, e.Name)
		}
		desc := e.Description
		if d, ok := ov.Descriptions[e.Name]; ok {
			desc = d
		}
		p.Events = append(p.Events, &Event{Name: e.Name, Description: desc, Default: slices.Contains(ov.Defaults, e.Name)})
	}
	var unknown []string
	for _, name := range append(append(slices.Clone(ov.Defaults), ov.Handwritten...), mapKeys(ov.Descriptions)...) {
		if _, ok := p.Lookup(name); !ok {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%s: names no event of %s: %s", ovFile, p.Name, strings.Join(unknown, ", "))
	}
	return nameEvents(file, p.Events)
}

func mapKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
