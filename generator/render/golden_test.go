package render_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/diff"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
)

// goldenVersion pins the generator version in golden projects, so a release
// build and a dev build render the same bytes.
const goldenVersion = "golden"

// everyProvider is the golden project with every provider of the catalogue
// and its default events: adding a provider changes it (refresh with make
// golden), and its generated tests prove the new definition end to end.
const everyProvider = "every-provider"

// goldenCases are the projects under testdata/golden. Every provider must
// appear in at least one (TestGoldenCoversEveryProvider).
var goldenCases = map[string]render.Answers{
	everyProvider: {Module: "example.com/everyprovider"}, // providers filled in by goldenAnswers
	"all-providers": {
		Module: "example.com/allproviders",
		Providers: []render.Selection{
			{Name: "generic-hmac"},
			{Name: "github", Events: []string{"push", "pull_request", "ping", "issues", "release"}},
			{Name: "shopify", Events: []string{"orders/create", "orders/paid", "customers/create", "app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"}},
			{Name: "stripe", Events: []string{"payment_intent.succeeded", "payment_intent.payment_failed", "customer.subscription.created", "customer.subscription.deleted", "invoice.payment_failed"}},
		},
	},
	"stripe-one-event": {
		Module:    "example.com/stripeone",
		Providers: []render.Selection{{Name: "stripe", Events: []string{"payment_intent.succeeded"}}},
	},
}

func goldenDir(name string) string { return filepath.Join("..", "..", "testdata", "golden", name) }

// goldenAnswers returns a case's answers, the every-provider case completed
// from the catalogue.
func goldenAnswers(c *catalog.Catalog, name string) render.Answers {
	a := goldenCases[name]
	if name == everyProvider {
		a.Providers = nil
		for _, p := range c.Names() {
			a.Providers = append(a.Providers, render.Selection{Name: p})
		}
	}
	return a
}

func renderGolden(t *testing.T, c *catalog.Catalog, a render.Answers) *render.Project {
	t.Helper()
	a, err := render.Normalize(a, c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := render.Render(a, c, goldenVersion)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden fails on any byte of drift between a render and testdata/golden.
// Refresh with: UPDATE_GOLDEN=1 go test ./generator/render -run TestGolden (make golden).
func TestGolden(t *testing.T) {
	c := loadCatalog(t)
	for name := range goldenCases {
		t.Run(name, func(t *testing.T) {
			p := renderGolden(t, c, goldenAnswers(c, name))
			dir := goldenDir(name)
			if os.Getenv("UPDATE_GOLDEN") == "1" {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				changes, err := write.Plan(dir, p, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				if err := write.Apply(dir, changes, false); err != nil {
					t.Fatal(err)
				}
				return
			}
			onDisk := map[string]bool{}
			err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, path)
				onDisk[filepath.ToSlash(rel)] = true
				return nil
			})
			if err != nil {
				t.Fatalf("%v (create it with UPDATE_GOLDEN=1 go test ./generator/render -run TestGolden)", err)
			}
			for _, path := range p.Paths() {
				want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
				if err != nil {
					t.Errorf("%s: missing from the golden project", path)
					continue
				}
				if got := p.Files[path].Content; !bytes.Equal(got, want) {
					t.Errorf("%s drifted from the golden project:\n%s", path, diff.Unified("golden/"+path, "rendered/"+path, want, got))
				}
				delete(onDisk, path)
			}
			for path := range onDisk {
				t.Errorf("%s: in the golden project but no longer rendered", path)
			}
			if t.Failed() {
				t.Log("if the change is intended, refresh with: make golden")
			}
		})
	}
}

func TestGoldenCoversEveryProvider(t *testing.T) {
	c := loadCatalog(t)
	seen := map[string]bool{}
	for name := range goldenCases {
		for _, s := range goldenAnswers(c, name).Providers {
			seen[s.Name] = true
		}
	}
	for _, name := range c.Names() {
		if !seen[name] {
			t.Errorf("provider %s is in no golden project", name)
		}
	}
}

// TestGoldenProjectsBuildAndPass copies each golden project to a temporary
// directory, builds and vets it, and runs its own tests.
func TestGoldenProjectsBuildAndPass(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and tests every golden project")
	}
	names := make([]string, 0, len(goldenCases))
	for name := range goldenCases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(goldenDir(name))); err != nil {
				t.Fatal(err)
			}
			goRun(t, dir, 5*time.Minute, "build", "./...")
			goRun(t, dir, 5*time.Minute, "vet", "./...")
			var env []string
			if name == "every-provider" {
				// Every provider's generated tests, on SQLite: Postgres is
				// covered by the other golden projects and the e2e tests, and
				// running this project's ~2,000 cases twice would double
				// CI's longest step.
				env = []string{"TEST_DATABASE_URL=", "REQUIRE_POSTGRES="}
			}
			out := goRunEnv(t, dir, 12*time.Minute, env, "test", "-count=1", "-timeout", "600s", "./...")
			if !strings.Contains(out, "ok  \t"+goldenCases[name].Module+"/tests/webhooks") {
				t.Fatalf("the generated tests did not run:\n%s", out)
			}
			if name == "stripe-one-event" {
				// The race detector over a generated project's tests; one
				// project suffices (modernc.org/sqlite compiles again under -race).
				goRun(t, dir, 15*time.Minute, "test", "-race", "-count=1", "-timeout", "600s", "./tests/...")
			}
		})
	}
}

// goRun runs the go command in dir.
func goRun(t *testing.T, dir string, timeout time.Duration, args ...string) string {
	t.Helper()
	return goRunEnv(t, dir, timeout, nil, args...)
}

// goRunEnv is goRun with env applied last.
func goRunEnv(t *testing.T, dir string, timeout time.Duration, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
	if os.Getenv("CI") == "true" {
		cmd.Env = append(cmd.Env, "REQUIRE_POSTGRES=true") // the generated Postgres tests must run, not skip
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func loadCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
