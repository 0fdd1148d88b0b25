package catalog_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
	"github.com/create-webhook-handler/create-webhook-handler/schemas"
)

// The built-in catalogue, verified in full: every definition, every event
// schema compiled, every sample valid against its schema. (Default skips the
// last two at run time, trusting this test.)
func TestDefaultCatalogLoads(t *testing.T) {
	c, err := catalog.Load(providers.FS, schemas.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"generic-hmac", "github", "shopify", "stripe"} {
		if _, ok := c.Provider(name); !ok {
			t.Fatalf("provider %s missing", name)
		}
	}
	for _, name := range c.Names() {
		p, _ := c.Provider(name)
		// Every built-in event has a schema and a sample, and every file
		// under schemas/{events,samples}/<provider>/ belongs to an event: a
		// misspelt file name would otherwise leave an event unchecked.
		files := map[string]bool{"common.json": true}
		for _, e := range p.Events {
			if e.Synthesized {
				continue // the catch-all the catalogue adds: TestWildcardForEveryProvider
			}
			if e.Schema == nil || e.Sample == nil {
				t.Errorf("%s %q has no schema or no sample (want %s.json in schemas/events/%s and schemas/samples/%s)", name, e.Name, e.FileName, name, name)
			}
			files[e.FileName+".json"] = true
		}
		for _, dir := range []string{"events/" + name, "samples/" + name} {
			entries, _ := fs.ReadDir(schemas.FS, dir)
			for _, f := range entries {
				if !files[f.Name()] {
					t.Errorf("schemas/%s/%s matches no event of %s", dir, f.Name(), name)
				}
			}
		}
		if len(p.DefaultEvents()) == 0 {
			t.Errorf("%s has no default events", name)
		}
	}
}

const valid = `{
  "name": "acme", "title": "Acme", "docs": "https://acme.example/webhooks",
  "delivery": {"timeout": "5 s", "retries": "none"},
  "credentials": [{"name": "WEBHOOK_SECRET", "kind": "hmac-secret", "encoding": "raw", "description": "d"}],
  "contentType": "json",
  "signature": {"scheme": "hmac", "header": "X-Acme-Signature", "algorithm": "sha256", "encoding": "hex"},
  "event": {"type": [{"json": "type"}], "id": [{"json": "id"}]},
  "events": [{"name": "thing.created", "default": true, "description": "d"}]
}`

func load(t *testing.T, def string) error {
	t.Helper()
	_, err := catalog.Load(fstest.MapFS{"acme.json": {Data: []byte(def)}}, fstest.MapFS{})
	return err
}

func TestLoadValidDefinition(t *testing.T) {
	if err := load(t, valid); err != nil {
		t.Fatal(err)
	}
}

// Invalid definitions are refused with the file, the JSON pointer and the reason.
func TestLoadRejectsInvalidDefinitions(t *testing.T) {
	for name, tc := range map[string]struct{ from, to, want string }{
		"unknown key":          {`"contentType": "json",`, `"contentType": "json", "colour": "red",`, "providers/acme.json: /: additionalProperties 'colour' not allowed"},
		"path in name":         {`"name": "acme"`, `"name": "../acme"`, "providers/acme.json: /name: does not match pattern"},
		"name not file name":   {`"name": "acme"`, `"name": "other"`, `must match the file name "acme"`},
		"unknown scheme":       {`"scheme": "hmac"`, `"scheme": "rot13"`, "/signature/scheme"},
		"bad header name":      {`"X-Acme-Signature"`, `"X Acme: Signature"`, "/signature/header: does not match pattern"},
		"unknown algorithm":    {`"sha256"`, `"md5"`, "/signature/algorithm"},
		"hmac with tolerance":  {`"encoding": "hex"}`, `"encoding": "hex", "toleranceSeconds": 5}`, "additionalProperties 'toleranceSeconds' not allowed"},
		"no events":            {`[{"name": "thing.created", "default": true, "description": "d"}]`, `[]`, "/events: minimum 1 items required"},
		"event name collision": {`[{"name": "thing.created", "default": true, "description": "d"}]`, `[{"name": "thing.created", "default": true, "description": "d"}, {"name": "thing/created", "default": false, "description": "d"}]`, `map to the same file name "thing_created"`},
		"not JSON":             {`{`, `{{`, "not valid JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			def := strings.Replace(valid, tc.from, tc.to, 1)
			if def == valid {
				t.Fatalf("test edit %q did not apply", tc.from)
			}
			err := load(t, def)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A sample that its own schema rejects is a catalogue error.
func TestLoadRejectsSampleFailingSchema(t *testing.T) {
	events := fstest.MapFS{
		"events/acme/thing_created.json":  {Data: []byte(`{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}`)},
		"samples/acme/thing_created.json": {Data: []byte(`{"id": 42}`)},
	}
	_, err := catalog.Load(fstest.MapFS{"acme.json": {Data: []byte(valid)}}, events)
	if err == nil || !strings.Contains(err.Error(), "samples/acme/thing_created.json: /id") {
		t.Fatalf("error %v, want one naming the sample and /id", err)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, file, goName string }{
		{"payment_intent.succeeded", "payment_intent_succeeded", "PaymentIntentSucceeded"},
		{"orders/create", "orders_create", "OrdersCreate"},
		{"repo:push", "repo_push", "RepoPush"},
		{"Push Hook", "push_hook", "PushHook"},
		{"*", "any", "Any"},
		{"html_url", "html_url", "HTMLURL"},
		{"generic-hmac", "generic_hmac", "GenericHMAC"},
		{"ApiError", "api_error", "APIError"},
		{"2fa.enabled", "2fa_enabled", "E2faEnabled"},
		{"BOOKING_CREATED", "booking_created", "BookingCreated"},
		{"charge:confirmed", "charge_confirmed", "ChargeConfirmed"},
	} {
		if got := catalog.FileName(tc.in); got != tc.file {
			t.Errorf("FileName(%q) = %q, want %q", tc.in, got, tc.file)
		}
		if got := catalog.GoName(tc.in); got != tc.goName {
			t.Errorf("GoName(%q) = %q, want %q", tc.in, got, tc.goName)
		}
	}
}

// The embedded definitions are the files in providers/: nothing else slips in.
func TestEmbeddedFiles(t *testing.T) {
	if _, err := providers.FS.ReadFile("stripe.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := schemas.FS.ReadFile("provider.schema.json"); err != nil {
		t.Fatal(err)
	}
}

// Every provider offers a catch-all: its own, or one the catalogue adds,
// whose sample carries a type no specific handler takes.
func TestWildcardForEveryProvider(t *testing.T) {
	c, err := catalog.Load(providers.FS, schemas.FS)
	if err != nil {
		t.Fatal(err)
	}
	withSample := 0
	for _, name := range c.Names() {
		p, _ := c.Provider(name)
		e, ok := p.Lookup(catalog.Wildcard)
		if !ok || e.Schema == nil {
			t.Errorf("%s has no catch-all with a schema", name)
			continue
		}
		if !e.Synthesized || e.Sample == nil {
			continue
		}
		withSample++
		if p.Event.Type[0].JSON != "" && !strings.Contains(string(e.Sample), `"example.created"`) {
			t.Errorf("%s: the catch-all's sample does not carry the example type:\n%s", name, e.Sample)
		}
	}
	if withSample < 20 {
		t.Errorf("only %d added catch-alls have a sample", withSample)
	}
}
