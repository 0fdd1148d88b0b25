// Package catalogimport regenerates providers' event catalogues from their
// own pinned, machine-readable sources (OpenAPI documents, npm packages, Go
// modules): the event list (schemas/catalog/<name>.json), one schema per
// event and the shared ones (schemas/events/<name>/), and a sample per event
// (schemas/samples/<name>/). It is a maintainer's tool (cmd/import-catalog,
// make catalog); its output is committed, and a test fails when the
// committed files differ from a fresh import.
//
// What people write about a provider (default selections, better
// descriptions, events a source lacks, schemas richer than a name-only
// source) lives in providers/<name>.overlay.json and in the files the
// overlay names: the import reads the overlay and never writes those files.
package catalogimport

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// Importer regenerates one provider's catalogue.
type Importer struct {
	Provider string
	Sources  []Source
	Import   func(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error)
}

// Importers are the providers whose catalogues are imported.
var Importers = []Importer{
	{Provider: "clerk", Sources: []Source{clerkBackend}, Import: importClerk},
	{Provider: "discord", Sources: []Source{discordAPITypes}, Import: importDiscord},
	{Provider: "github", Sources: []Source{githubSpec, githubExamples}, Import: importGitHub},
	{Provider: "gitlab", Sources: []Source{gitlabClient}, Import: importGitLab},
	{Provider: "hubspot", Sources: []Source{hubspotClient}, Import: importHubSpot},
	{Provider: "linear", Sources: []Source{linearSDK}, Import: importLinear},
	{Provider: "mailgun", Sources: []Source{mailgunGo}, Import: importMailgun},
	{Provider: "paddle", Sources: []Source{paddleNodeSDK}, Import: importPaddle},
	{Provider: "polar", Sources: []Source{polarSDK}, Import: importPolar},
	{Provider: "resend", Sources: []Source{resendSDK}, Import: importResend},
	{Provider: "shopify", Sources: []Source{shopifyTopics}, Import: importShopify},
	{Provider: "slack", Sources: []Source{slackTypes}, Import: importSlack},
	{Provider: "square", Sources: []Source{squareSDK}, Import: importSquare},
	{Provider: "stripe", Sources: []Source{stripeMock}, Import: importStripe},
	{Provider: "twilio", Sources: []Source{twilioCLICore}, Import: importTwilio},
	{Provider: "vercel", Sources: []Source{vercelSDK}, Import: importVercel},
}

// Lookup returns the importer of a provider.
func Lookup(provider string) (Importer, bool) {
	for _, im := range Importers {
		if im.Provider == provider {
			return im, true
		}
	}
	return Importer{}, false
}

// Result is one provider's imported files, by their path in schemas/.
type Result struct {
	provider string
	list     catalog.Imported
	files    map[string][]byte
	// minimal is a schema-valid sample for events without a published one.
	minimal map[string]any
	samples map[string]any
	overlay *catalog.Overlay // what the import read beside the definition
}

func newResult(provider string, sources ...string) *Result {
	return &Result{
		provider: provider,
		list:     catalog.Imported{Sources: sources},
		files:    map[string][]byte{},
		minimal:  map[string]any{},
		samples:  map[string]any{},
	}
}

func (r *Result) addEvent(name, description string) {
	r.list.Events = append(r.list.Events, catalog.ImportedEvent{Name: name, Description: description})
}

func (r *Result) addSchema(event string, s any) {
	r.files[path.Join("events", r.provider, catalog.FileName(event)+".json")] = marshal(s)
}

// sample records a published example of an event (the first one wins).
func (r *Result) sample(event string, v any) {
	if _, ok := r.samples[event]; !ok {
		r.samples[event] = v
	}
}

// finish writes the event list and a sample for every event the import
// gave a schema, a published one where there is one.
func (r *Result) finish(owned []string) (*Result, error) {
	sort.Slice(r.list.Events, func(i, j int) bool { return r.list.Events[i].Name < r.list.Events[j].Name })
	for _, e := range r.list.Events {
		if slices.Contains(owned, e.Name) {
			continue
		}
		s, ok := r.samples[e.Name]
		if !ok {
			if s, ok = r.minimal[e.Name]; !ok {
				return nil, fmt.Errorf("%s %s: no sample and no minimal sample", r.provider, e.Name)
			}
		}
		r.files[path.Join("samples", r.provider, catalog.FileName(e.Name)+".json")] = marshal(s)
	}
	r.files[path.Join(catalog.ImportedDir, r.provider+".json")] = marshal(r.list)
	return r, nil
}

// Files are the imported files, by path under schemas/.
func (r *Result) Files() map[string][]byte { return r.files }

// Run imports one provider, reading its overlay from defs (providers/).
func (im Importer) Run(ctx context.Context, f *Fetcher, defs fs.FS) (*Result, error) {
	ov, err := catalog.ReadOverlay(defs, im.Provider)
	if err != nil {
		return nil, err
	}
	if ov == nil {
		ov = &catalog.Overlay{}
	}
	res, err := im.Import(ctx, f, ov)
	if err != nil {
		return nil, err
	}
	res.overlay = ov
	return res, nil
}

// Stale lists the files in schemas (the repository's schemas/ folder) that
// the provider's import owns but this one did not write: what a previous
// import left, sorted.
func (r *Result) Stale(schemas fs.FS) ([]string, error) {
	var stale []string
	for _, dir := range []string{"events/" + r.provider, "samples/" + r.provider} {
		entries, err := fs.ReadDir(schemas, dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			p := dir + "/" + e.Name()
			if _, ok := r.files[p]; !ok && Owned(r.provider, r.overlay, p) {
				stale = append(stale, p)
			}
		}
	}
	return stale, nil
}

// Owned reports whether a file under schemas/ belongs to the import of
// provider (as opposed to hand-written files beside it): the event list, and
// every file in the provider's events and samples folders except those of
// the events the overlay owns.
func Owned(provider string, ov *catalog.Overlay, file string) bool {
	if file == path.Join(catalog.ImportedDir, provider+".json") {
		return true
	}
	dir, base := path.Split(file)
	if dir != "events/"+provider+"/" && dir != "samples/"+provider+"/" {
		return false
	}
	if ov != nil {
		if ov.HandwrittenCommon && base == "common.json" {
			return false
		}
		for _, e := range ov.Owned() {
			if base == catalog.FileName(e)+".json" {
				return false
			}
		}
	}
	return strings.HasSuffix(base, ".json")
}
