package gotypes_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/gotypes"
	"github.com/create-webhook-handler/create-webhook-handler/schemas"
)

// providerEvents reads one provider's event schemas and common.json from the
// embedded catalogue.
func providerEvents(t testing.TB, provider string) (common []byte, events []gotypes.Event) {
	t.Helper()
	dir := path.Join("events", provider)
	entries, err := fs.ReadDir(schemas.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		b, err := fs.ReadFile(schemas.FS, path.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "common.json" {
			common = b
			continue
		}
		stem := strings.TrimSuffix(name, ".json")
		events = append(events, gotypes.Event{Name: stem, TypeName: catalog.GoName(stem) + "Event", Schema: b})
	}
	return common, events
}

func catalogueProviders(t testing.TB) []string {
	t.Helper()
	entries, err := fs.ReadDir(schemas.FS, "events")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("no providers in schemas/events")
	}
	return out
}

// TestEveryCatalogueProvider generates the types of every event of every
// provider in the catalogue at once, as a project with all events selected
// would, and type-checks them.
func TestEveryCatalogueProvider(t *testing.T) {
	for _, p := range catalogueProviders(t) {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			common, events := providerEvents(t, p)
			if len(events) == 0 {
				t.Skip("no event schemas")
			}
			src, err := gotypes.Generate(catalog.PackageName(p), "// Code generated for a test. DO NOT EDIT.\n", eventImport, common, events)
			if err != nil {
				t.Fatal(err)
			}
			f := typecheck(t, src)
			declared := map[string]bool{}
			for _, d := range f.Decls {
				declared[declName(d)] = true
			}
			for _, e := range events {
				if !declared[e.TypeName] {
					t.Errorf("%s: no type %s", e.Name, e.TypeName)
				}
			}
			again, err := gotypes.Generate(catalog.PackageName(p), "// Code generated for a test. DO NOT EDIT.\n", eventImport, common, events)
			if err != nil || string(again) != string(src) {
				t.Errorf("a second run differs (err %v)", err)
			}
		})
	}
}

// TestNamesDoNotDependOnTheSelection: adding events to a project must not
// rename a type a user's code may name. Every type of a one-event selection
// is declared, identically, when more events are selected.
func TestNamesDoNotDependOnTheSelection(t *testing.T) {
	for _, tc := range []struct {
		provider string
		one      string
		more     []string
	}{
		{"stripe", "invoice_paid", []string{"invoice_created", "charge_refunded", "customer_subscription_updated"}},
		{"github", "push", []string{"check_suite", "pull_request", "create"}},
	} {
		common, all := providerEvents(t, tc.provider)
		pick := func(stems ...string) []gotypes.Event {
			var out []gotypes.Event
			for _, e := range all {
				for _, s := range stems {
					if e.Name == s {
						out = append(out, e)
					}
				}
			}
			if len(out) != len(stems) {
				t.Fatalf("%s: found %d of the events %v", tc.provider, len(out), stems)
			}
			return out
		}
		small, err := gotypes.Generate("p", "", eventImport, common, pick(tc.one))
		if err != nil {
			t.Fatal(err)
		}
		large, err := gotypes.Generate("p", "", eventImport, common, pick(append(tc.more, tc.one)...))
		if err != nil {
			t.Fatal(err)
		}
		decls := func(src []byte) map[string]string {
			out := map[string]string{}
			for _, block := range strings.Split(string(src), "\ntype ")[1:] {
				name, _, _ := strings.Cut(block, " ")
				body, _, _ := strings.Cut(block, "\n}\n")
				out[name] = body
			}
			return out
		}
		have := decls(large)
		for name, body := range decls(small) {
			if got, ok := have[name]; !ok {
				t.Errorf("%s: type %s of %s is gone when %v are selected too", tc.provider, name, tc.one, tc.more)
			} else if got != body {
				t.Errorf("%s: type %s changes when %v are selected too", tc.provider, name, tc.more)
			}
		}
	}
}
