package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/prompt"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
)

// add without --provider asks, through the Prompter, only for what the
// project lacks: providers not in it, and events of a provider it has.
func TestAddAsksForWhatIsMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hooks")
	var stderr bytes.Buffer
	if code := run([]string{"init", dir, "--module", "example.com/hooks", "--provider", "github=push", "--no-input"}, strings.NewReader(""), &stderr, &stderr); code != 0 {
		t.Fatalf("init: %d\n%s", code, stderr.String())
	}
	fake := &prompt.Fake{MultiSelects: map[string][]string{
		"Providers to add":     {"github", "stripe"},
		"GitHub events to add": {"release"},
		"Stripe events to add": {"invoice.payment_failed"},
	}}
	e := &env{stdin: strings.NewReader(""), stdout: &stderr, stderr: &stderr, prompter: fake, catalog: catalog.Default}
	if err := runAdd(e, changeFlags{dir: dir}); err != nil {
		t.Fatalf("add: %v\n%s", err, stderr.String())
	}
	m, err := write.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, s := range m.Providers {
		got[s.Name] = s.Events
	}
	if !slices.Equal(got["github"], []string{"push", "release"}) || !slices.Equal(got["stripe"], []string{"invoice.payment_failed"}) {
		t.Fatalf("manifest providers %v", got)
	}
	for _, f := range []string{"github_release.go", "stripe_invoice_payment_failed.go"} {
		if _, err := os.Stat(filepath.Join(dir, "webhooks", "handlers", f)); err != nil {
			t.Errorf("handler %s: %v", f, err)
		}
	}
	if asked := fake.Asked(); !slices.Equal(asked, []string{"Providers to add", "GitHub events to add", "Stripe events to add"}) {
		t.Fatalf("asked %q", asked)
	}

	// Without a terminal (no prompter), a missing --provider names the flag.
	e.prompter = nil
	if err := runAdd(e, changeFlags{dir: dir}); err == nil || !strings.Contains(err.Error(), "pass --provider") {
		t.Fatalf("add without a terminal: %v", err)
	}
}
