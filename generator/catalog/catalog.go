// Package catalog loads the provider definitions and their event schemas and
// samples, and validates them: a definition against
// schemas/provider.schema.json, an event schema as JSON Schema 2020-12.
package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/create-webhook-handler/create-webhook-handler/providers"
	"github.com/create-webhook-handler/create-webhook-handler/schemas"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/jsondoc"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// Provider is one provider definition (providers/<name>.json) with its event
// schemas and samples.
type Provider struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Docs        string       `json:"docs"`
	Delivery    Delivery     `json:"delivery"`
	Credentials []Credential `json:"credentials"`
	ContentType string       `json:"contentType"`
	Signature   Signature    `json:"signature"`
	Handshake   *Handshake   `json:"handshake,omitempty"`
	Proofs      []Proof      `json:"-"`
	Acknowledge *struct {
		Status      int     `json:"status"`
		ContentType string  `json:"contentType,omitempty"`
		Body        *string `json:"body,omitempty"` // nil: the JSON receipt; "": no body at all (Xero)
	} `json:"acknowledge,omitempty"`
	Event  EventSpec `json:"event"`
	Events []*Event  `json:"events"`

	// Common is the provider's shared schema definitions (common.json), if any.
	Common []byte `json:"-"`
	// Imported: the events come from schemas/catalog/<name>.json.
	Imported bool `json:"-"`
	// readFiles reads the event schemas and samples, once (nil: read).
	readFiles func()
	// commonDefs is Common split into its definitions, once (CommonFor).
	commonDefs func() (*commonDefs, error)
}

// Delivery is what a user must know about the provider's deliveries.
type Delivery struct {
	Timeout  string `json:"timeout"`
	Retries  string `json:"retries"`
	Ordering string `json:"ordering,omitempty"`
}

// Credential is one secret or key, read from <PROVIDER>_<NAME>.
type Credential struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Encoding    string `json:"encoding"`
	Description string `json:"description"`
}

// Signature is the scheme family and its parameters (the definition's
// "signature" block); verify.Spec maps it to a scheme.
type Signature = verify.Spec

// Format is how a timestamped signature travels (see verify.SpecFormat).
type Format = verify.SpecFormat

// Handshake names the endpoint check a provider sends (see the definition
// schema for the kinds).
type Handshake struct {
	Kind string `json:"kind"`
}

// EventSpec says where the event type and id are.
type EventSpec struct {
	Type       []Source `json:"type"`
	ID         []Source `json:"id"`
	IDFallback string   `json:"idFallback,omitempty"`
	// Items is where a batching provider's events are ("$": the body).
	Items   string   `json:"items,omitempty"`
	Headers []string `json:"headers,omitempty"`
}

// Source is a header or a dotted JSON path.
type Source struct {
	Header  string   `json:"header,omitempty"`
	JSON    string   `json:"json,omitempty"`
	Present []string `json:"present,omitempty"` // the name of the first of these fields the body has
	// Envelope is a path in the whole delivery, for batch items that do not
	// carry their type (Meta's object).
	Envelope string `json:"envelope,omitempty"`
}

// Event is one event type the provider sends.
type Event struct {
	Name        string `json:"name"`
	Default     bool   `json:"default"`
	Description string `json:"description"`

	FileName string `json:"-"` // "orders_create"
	GoName   string `json:"-"` // "OrdersCreate"
	Schema   []byte `json:"-"` // events/<provider>/<FileName>.json, nil when none
	Sample   []byte `json:"-"` // samples/<provider>/<FileName>.json, nil when none
	// Synthesized: the catch-all the catalogue adds to a provider that has
	// none of its own (its sample is nil where the type cannot simply be set).
	Synthesized bool `json:"-"`
}

// GoName is the provider's Go identifier: "GenericHMAC".
func (p *Provider) GoName() string { return GoName(p.Name) }

// PackageName is the Go package of the provider's typed events.
func (p *Provider) PackageName() string { return PackageName(p.Name) }

// EnvPrefix is the prefix of the provider's environment variables.
func (p *Provider) EnvPrefix() string {
	return strings.ToUpper(strings.ReplaceAll(p.Name, "-", "_")) + "_"
}

// Lookup returns the named event.
func (p *Provider) Lookup(name string) (*Event, bool) {
	for _, e := range p.Events {
		if e.Name == name {
			return e, true
		}
	}
	return nil, false
}

// DefaultEvents lists the events selected when the user names none.
func (p *Provider) DefaultEvents() []string {
	var out []string
	for _, e := range p.Events {
		if e.Default {
			out = append(out, e.Name)
		}
	}
	return out
}

// EventNames lists every event, in definition order.
func (p *Provider) EventNames() []string {
	out := make([]string, len(p.Events))
	for i, e := range p.Events {
		out[i] = e.Name
	}
	return out
}

// Catalog is a validated set of providers.
type Catalog struct {
	providers map[string]*Provider
}

// Names lists the providers, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, 0, len(c.providers))
	for n := range c.providers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Provider returns the named provider, its event schemas and samples read.
func (c *Catalog) Provider(name string) (*Provider, bool) {
	p, ok := c.providers[name]
	if ok && p.readFiles != nil {
		p.readFiles()
	}
	return p, ok
}

// Default loads the built-in catalogue. Its definitions are validated; its
// event schemas and samples, fixed at build time, are verified by the
// repository's tests (Load) rather than on every command, which keeps
// commands such as check fast.
func Default() (*Catalog, error) {
	return load(providers.FS, schemas.FS, "providers", false)
}

// Load reads every *.json in defs as a provider definition and takes its
// event schemas and samples from eventsFS (events/<provider>/... and
// samples/<provider>/...), compiling every schema and validating every sample
// against it. Every problem found is reported, not just the first.
func Load(defs, eventsFS fs.FS) (*Catalog, error) { return load(defs, eventsFS, "providers", true) }

// load is Load with the folder name errors give for the definitions, and
// whether to verify the event schemas and samples.
func load(defs, eventsFS fs.FS, label string, verifyEvents bool) (*Catalog, error) {
	v, err := definitionValidator()
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(defs, "*.json")
	if err != nil {
		return nil, err
	}
	c := &Catalog{providers: map[string]*Provider{}}
	var errs []error
	for _, f := range files {
		if strings.HasSuffix(f, OverlaySuffix) {
			continue // read with its definition
		}
		b, err := fs.ReadFile(defs, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := ParseDefinition(v, label+"/"+f, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(f, ".json"); p.Name != want {
			errs = append(errs, fmt.Errorf("%s/%s: /name: %q must match the file name %q", label, f, p.Name, want))
			continue
		}
		if err := attachImported(p, defs, eventsFS, label); err != nil {
			errs = append(errs, err)
			continue
		}
		if !verifyEvents {
			// Read a provider's files when it is asked for: a command
			// needs a few of the thousands of files in the catalogue.
			p.readFiles = sync.OnceFunc(func() {
				_ = attachEvents(p, eventsFS, false) // only reads; a missing file is no schema
				addWildcard(p)
			})
			c.providers[p.Name] = p
			continue
		}
		if err := attachEvents(p, eventsFS, true); err != nil {
			errs = append(errs, err)
			continue
		}
		addWildcard(p)
		c.providers[p.Name] = p
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := attachProofs(c, eventsFS); err != nil {
		return nil, err
	}
	return c, nil
}

// Proof is how a provider's verification was checked by this repository's
// conformance tests (schemas/conformance.json, written by them).
type Proof struct {
	Provider string `json:"provider"`
	// Method is "sdk" (the provider's own SDK, both directions),
	// "documented" (a published example) or "derived" (computed from the
	// documented algorithm with an independent tool).
	Method string `json:"method"`
	Source string `json:"source"`
}

// attachProofs reads the conformance record, when the catalogue has one.
func attachProofs(c *Catalog, fsys fs.FS) error {
	b, err := fs.ReadFile(fsys, "conformance.json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var proofs []Proof
	if err := json.Unmarshal(b, &proofs); err != nil {
		return fmt.Errorf("conformance.json: %w", err)
	}
	for _, pr := range proofs {
		if p, ok := c.providers[pr.Provider]; ok {
			p.Proofs = append(p.Proofs, pr)
		}
	}
	return nil
}

// Verification is the strongest proof of the provider's verification:
// "sdk", "documented", "derived", or "unproven" (a project's own definition).
func (p *Provider) Verification() (method, source string) {
	for _, m := range []string{"sdk", "documented", "derived"} {
		for _, pr := range p.Proofs {
			if pr.Method == m {
				return m, pr.Source
			}
		}
	}
	return "unproven", ""
}

// ParseDefinition validates one definition's bytes; file names it in errors.
func ParseDefinition(v *jsonschema.Schema, file string, b []byte) (*Provider, error) {
	doc, err := jsondoc.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %w", file, err)
	}
	if err := v.Validate(doc); err != nil {
		return nil, FormatValidationError(file, err)
	}
	var p Provider
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if reservedNames[p.PackageName()] || token.IsKeyword(p.PackageName()) {
		return nil, fmt.Errorf("%s: /name: %q is reserved (a Go keyword or a package of the generated service): choose another name", file, p.Name)
	}
	if err := nameEvents(file, p.Events); err != nil {
		return nil, err
	}
	return &p, nil
}

// reservedNames are package names a generated service already uses, which
// a provider's typed-events package would clash with.
var reservedNames = map[string]bool{"event": true, "events": true, "handlers": true, "processors": true, "schemas": true, "webhooks": true}

// nameEvents gives each event its file and Go names, refusing two events
// that map to one, and keeps each description on one line: descriptions
// end up in comments of generated code.
func nameEvents(file string, events []*Event) error {
	seenFile, seenGo := map[string]string{}, map[string]string{}
	for _, e := range events {
		e.FileName, e.GoName = FileName(e.Name), GoName(e.Name)
		e.Description = strings.Join(strings.Fields(e.Description), " ")
		if e.Name != Wildcard && (e.FileName == FileName(Wildcard) || e.GoName == GoName(Wildcard)) {
			return fmt.Errorf("%s: /events: %q maps to the names of the catch-all (%s.go, %sEvent): rename it", file, e.Name, e.FileName, e.GoName)
		}
		if other, ok := seenFile[e.FileName]; ok {
			return fmt.Errorf("%s: /events: %q and %q map to the same file name %q", file, other, e.Name, e.FileName)
		}
		if other, ok := seenGo[e.GoName]; ok {
			return fmt.Errorf("%s: /events: %q and %q map to the same Go name %q", file, other, e.Name, e.GoName)
		}
		seenFile[e.FileName], seenGo[e.GoName] = e.Name, e.Name
	}
	return nil
}

// attachEvents reads the provider's event schemas and samples and, with
// verify, checks that each schema compiles and accepts its sample.
func attachEvents(p *Provider, fsys fs.FS, verify bool) error {
	dir := path.Join("events", p.Name)
	if b, err := fs.ReadFile(fsys, path.Join(dir, "common.json")); err == nil {
		p.Common, p.commonDefs = b, splitCommon(p)
	}
	for _, e := range p.Events {
		if b, err := fs.ReadFile(fsys, path.Join(dir, e.FileName+".json")); err == nil {
			e.Schema = b
		}
		if b, err := fs.ReadFile(fsys, path.Join("samples", p.Name, e.FileName+".json")); err == nil {
			e.Sample = b
		}
	}
	if !verify {
		return nil // parsing thousands of schemas is most of a load: only on demand
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("%s is not in the catalogue", u)
	}
	if p.Common != nil {
		if err := c.AddResource(schemaURL(p.Name, "common.json"), bytes.NewReader(p.Common)); err != nil {
			return fmt.Errorf("%s/common.json: %w", dir, err)
		}
	}
	for _, e := range p.Events {
		if e.Schema != nil {
			if err := c.AddResource(schemaURL(p.Name, e.FileName+".json"), bytes.NewReader(e.Schema)); err != nil {
				return fmt.Errorf("%s/%s.json: %w", dir, e.FileName, err)
			}
		}
	}
	var errs []error
	for _, e := range p.Events {
		if e.Schema == nil {
			continue
		}
		s, err := c.Compile(schemaURL(p.Name, e.FileName+".json"))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s/%s.json: %w", dir, e.FileName, err))
			continue
		}
		if e.Sample == nil {
			continue
		}
		doc, err := jsondoc.Decode(e.Sample)
		if err == nil && p.Event.Items != "" {
			doc, err = onlyItem(doc, p.Event.Items)
		}
		if err == nil {
			err = s.Validate(doc)
		}
		if err != nil {
			errs = append(errs, FormatValidationError(fmt.Sprintf("samples/%s/%s.json", p.Name, e.FileName), err))
		}
	}
	return errors.Join(errs...)
}

func schemaURL(provider, file string) string { return "file:///events/" + provider + "/" + file }

// onlyItem is the one event of a batching provider's sample: samples hold
// one, so the generated tests can count what they deliver.
func onlyItem(doc any, path string) (any, error) {
	items, ok := jsondoc.Batch(doc, path)
	if !ok || len(items) != 1 {
		return nil, fmt.Errorf("a sample of a batching provider holds exactly one event at %s", path)
	}
	return items[0], nil
}

// FormatValidationError lists every failing location as "file: /pointer: message".
func FormatValidationError(file string, err error) error {
	lines := messages(err)
	if len(lines) == 0 {
		return fmt.Errorf("%s: %w", file, err)
	}
	for i, l := range lines {
		lines[i] = file + ": " + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

// messages lists a jsonschema v5 validation error's failures as
// "/pointer: message", one per failing location; nil when err is not one.
// (Generated services validate with jsonschema v6: eventschema.Messages.)
func messages(err error) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var lines []string
	for _, e := range ve.BasicOutput().Errors {
		if e.Error == "" || strings.HasPrefix(e.Error, "doesn't validate with") {
			continue // the tree's inner nodes; the leaves say what is wrong
		}
		loc := e.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		lines = append(lines, loc+": "+e.Error)
	}
	return lines
}

// definitionValidator compiles schemas/provider.schema.json once.
var definitionValidator = sync.OnceValues(func() (*jsonschema.Schema, error) {
	b, err := fs.ReadFile(schemas.FS, "provider.schema.json")
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	const url = "https://create-webhook-handler.dev/schemas/provider.schema.json"
	if err := c.AddResource(url, bytes.NewReader(b)); err != nil {
		return nil, err
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schemas/provider.schema.json: %w", err)
	}
	return s, nil
})

// ProjectDir is where a project keeps its own provider definitions:
// <name>.json, events/<name>/<event>.json and samples/<name>/<event>.json.
const ProjectDir = "webhooks/providers"

// ForProject loads the built-in catalogue plus the project's own providers
// in dir/webhooks/providers, validated the same way. A project's provider may
// not take a built-in one's name.
func ForProject(dir string) (*Catalog, error) {
	c, err := Default()
	if err != nil {
		return nil, err
	}
	custom := filepath.Join(dir, filepath.FromSlash(ProjectDir))
	if info, err := os.Stat(custom); err != nil || !info.IsDir() {
		return c, nil
	}
	fsys := os.DirFS(custom)
	own, err := load(fsys, fsys, ProjectDir, true)
	if err != nil {
		return nil, err
	}
	for name, p := range own.providers {
		if _, clash := c.providers[name]; clash {
			return nil, fmt.Errorf("%s/%s.json: a built-in provider is already named %q: rename yours", ProjectDir, name, name)
		}
		c.providers[name] = p
	}
	return c, nil
}

// LoadLabelled is Load with the folder name to use in errors.
func LoadLabelled(defs, eventsFS fs.FS, label string) (*Catalog, error) {
	return load(defs, eventsFS, label, true)
}

// ValidateDefinition checks one provider definition's bytes.
func ValidateDefinition(file string, b []byte) (*Provider, error) {
	v, err := definitionValidator()
	if err != nil {
		return nil, err
	}
	return ParseDefinition(v, file, b)
}

// ValidateEventSchema checks that b is a JSON Schema 2020-12 that compiles
// on its own (references to common.json are resolved only inside a catalogue).
func ValidateEventSchema(file string, b []byte) error {
	if _, err := jsondoc.Decode(b); err != nil {
		return fmt.Errorf("%s: not valid JSON: %w", file, err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(u string) (io.ReadCloser, error) { return nil, fmt.Errorf("%s is not available here", u) }
	url := "file:///" + strings.TrimPrefix(file, "/")
	if err := c.AddResource(url, bytes.NewReader(b)); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	// A provider's shared definitions sit beside its event schemas.
	if common, err := os.ReadFile(filepath.Join(filepath.Dir(file), "common.json")); err == nil && path.Base(file) != "common.json" {
		if err := c.AddResource(strings.TrimSuffix(url, path.Base(file))+"common.json", bytes.NewReader(common)); err != nil {
			return fmt.Errorf("%s: %w", path.Join(path.Dir(file), "common.json"), err)
		}
	}
	if _, err := c.Compile(url); err != nil {
		return FormatValidationError(file, err)
	}
	return nil
}

// MainCredential is what signatures are checked with: the first
// credential that is not a handshake's verify token. Its variable is
// <NAME>_<credential name>, WEBHOOK_SECRET for shared secrets.
func (p *Provider) MainCredential() Credential {
	for _, c := range p.Credentials {
		if c.Kind != "verify-token" {
			return c
		}
	}
	return Credential{Name: "WEBHOOK_SECRET", Kind: "hmac-secret", Encoding: "raw"}
}
