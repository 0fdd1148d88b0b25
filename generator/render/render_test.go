package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

// Same answers, however ordered, render the same bytes.
func TestRenderIsDeterministic(t *testing.T) {
	c := loadCatalog(t)
	a := goldenCases["all-providers"]
	first := renderGolden(t, c, a)
	reversed := a
	reversed.Providers = nil
	for i := len(a.Providers) - 1; i >= 0; i-- {
		reversed.Providers = append(reversed.Providers, a.Providers[i])
	}
	for i := 0; i < 3; i++ {
		again := renderGolden(t, c, reversed)
		if len(again.Files) != len(first.Files) {
			t.Fatalf("%d files, then %d", len(first.Files), len(again.Files))
		}
		for path, f := range first.Files {
			if !bytes.Equal(f.Content, again.Files[path].Content) {
				t.Fatalf("%s differs between two renders", path)
			}
		}
	}
}

// Generated Go files carry the header tools recognise; user files do not.
func TestGeneratedHeader(t *testing.T) {
	p := renderGolden(t, loadCatalog(t), goldenCases["all-providers"])
	for _, path := range p.Paths() {
		f := p.Files[path]
		if !strings.HasSuffix(path, ".go") {
			continue
		}
		has := strings.HasPrefix(string(f.Content), render.Header+"\n")
		if f.Kind == render.Generated && !has {
			t.Errorf("%s is generated but lacks the header", path)
		}
		if f.Kind != render.Generated && has {
			t.Errorf("%s belongs to the user but says DO NOT EDIT", path)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	c := loadCatalog(t)
	for _, tc := range []struct {
		a    render.Answers
		want string
	}{
		{render.Answers{Providers: []render.Selection{{Name: "stripe"}}}, "pass --module"},
		{render.Answers{Module: "Not A Path", Providers: []render.Selection{{Name: "stripe"}}}, "invalid module path"},
		{render.Answers{Module: "../escape", Providers: []render.Selection{{Name: "stripe"}}}, "invalid module path"},
		{render.Answers{Module: "example.com/x"}, "pass --provider"},
		{render.Answers{Module: "example.com/x", Providers: []render.Selection{{Name: "nope"}}}, `unknown provider "nope"`},
		{render.Answers{Module: "example.com/x", Providers: []render.Selection{{Name: "stripe", Events: []string{"nope.nope"}}}}, `unknown event "nope.nope" for provider stripe`},
		{render.Answers{Module: "example.com/x", Store: "mysql", Providers: []render.Selection{{Name: "stripe"}}}, "unknown store"},
	} {
		_, err := render.Normalize(tc.a, c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.a, err, tc.want)
		}
	}
}

func TestNormalizeDefaultsAndOrder(t *testing.T) {
	c := loadCatalog(t)
	a, err := render.Normalize(render.Answers{Module: "example.com/x", Providers: []render.Selection{
		{Name: "stripe", Events: []string{"invoice.payment_failed"}},
		{Name: "github"},
		{Name: "stripe", Events: []string{"payment_intent.succeeded", "invoice.payment_failed"}},
	}}, c)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, s := range a.Providers {
		got = append(got, s.Name+"="+strings.Join(s.Events, ","))
	}
	// Events in catalogue order (imported lists are sorted by name), merged.
	want := "github=ping,pull_request,push stripe=invoice.payment_failed,payment_intent.succeeded"
	if strings.Join(got, " ") != want {
		t.Fatalf("got %q, want %q", strings.Join(got, " "), want)
	}
	if a.Store != "sqlite" {
		t.Fatalf("store %q, want sqlite by default", a.Store)
	}
}

func TestParseProviderFlag(t *testing.T) {
	s, err := render.ParseProviderFlag("shopify=orders/create, app/uninstalled")
	if err != nil || s.Name != "shopify" || strings.Join(s.Events, "|") != "orders/create|app/uninstalled" {
		t.Fatalf("%+v %v", s, err)
	}
	if _, err := render.ParseProviderFlag("stripe="); err == nil {
		t.Fatal("empty event list accepted")
	}
	if _, err := render.ParseProviderFlag("=push"); err == nil {
		t.Fatal("empty provider name accepted")
	}
}

// BenchmarkRender renders the largest golden project; the baseline in the
// same run is loading the catalogue, which every command pays too.
func BenchmarkRender(b *testing.B) {
	c, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	a, err := render.Normalize(goldenCases["all-providers"], c)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("load-catalogue", func(b *testing.B) {
		for b.Loop() {
			if _, err := catalog.Default(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render-all-providers", func(b *testing.B) {
		for b.Loop() {
			if _, err := render.Render(a, c, goldenVersion); err != nil {
				b.Fatal(err)
			}
		}
	})
}
