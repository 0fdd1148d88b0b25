package catalogimport

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
)

// importAs runs FromOpenAPI with a built-in provider's signature and loads
// the result as a project's provider.
func importAs(t *testing.T, raw []byte, name, like string) (*catalog.Provider, map[string][]byte) {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := c.Provider(like)
	def, err := fs.ReadFile(providers.FS, like+".json")
	if err != nil {
		t.Fatal(err)
	}
	files, err := FromOpenAPI(raw, name, strings.ToUpper(name), base, def)
	if err != nil {
		t.Fatal(err)
	}
	mem := fstest.MapFS{}
	for p, b := range files {
		mem[p] = &fstest.MapFile{Data: b}
	}
	got, err := catalog.LoadLabelled(mem, mem, catalog.ProjectDir)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := got.Provider(name)
	if !ok {
		t.Fatalf("no provider %s in the import", name)
	}
	return p, files
}

// GitHub's own OpenAPI document, imported as a user would: its 261 webhooks
// become GitHub's 75 events (x-github.subcategory), every schema compiles and
// every sample is valid (LoadLabelled verifies both).
func TestImportOpenAPIGitHubDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: fetches @octokit/openapi-webhooks with npm")
	}
	f, err := NewFetcher()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	raw, err := f.Read(ctx, githubSpec, githubSpecFile)
	if errors.Is(err, ErrUnavailable) {
		unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	p, files := importAs(t, raw, "gh-copy", "github")
	if n := len(p.Events); n != 76 { // 75 and the catch-all
		t.Errorf("%d events, want 75 and the catch-all", n)
	}
	if _, ok := p.Lookup("pull_request"); !ok {
		t.Error("no pull_request event")
	}
	if _, ok := files["events/gh-copy/common.json"]; !ok {
		t.Error("no common.json for the document's components")
	}
}

// An event named after the payload's pinned type, else the webhook's key;
// the import refuses names that would become paths or identifiers badly.
func TestImportOpenAPINames(t *testing.T) {
	p, _ := importAs(t, []byte(`{"openapi":"3.1.0","webhooks":{
		"userCreated":{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"type":{"const":"user.created"}}}}}}}},
		"plain.key":{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"object"}}}}}}}}`), "acme", "svix")
	for _, want := range []string{"user.created", "plain.key"} {
		if _, ok := p.Lookup(want); !ok {
			t.Errorf("no event %q in %v", want, p.EventNames())
		}
	}
	for _, key := range []string{"../../etc", "a\nb", "*", `x"y`} {
		doc := `{"openapi":"3.1.0","webhooks":{` + quoteJSON(key) + `:{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"object"}}}}}}}}`
		c, _ := catalog.Default()
		base, _ := c.Provider("svix")
		def, _ := fs.ReadFile(providers.FS, "svix.json")
		if _, err := FromOpenAPI([]byte(doc), "acme", "Acme", base, def); err == nil {
			t.Errorf("webhook key %q was accepted as an event name", key)
		}
	}
}

func quoteJSON(s string) string { return string(marshal(s)[:len(marshal(s))-1]) }
