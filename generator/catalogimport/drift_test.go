package catalogimport

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestCommittedCatalogsMatchAFreshImport imports every provider from its
// pinned sources and compares the result with the committed files, as the
// golden tests do for generated projects: a hand edit of an imported file,
// a file an import no longer writes, or a changed importer all fail here.
// `make catalog` brings the committed files in step.
func TestCommittedCatalogsMatchAFreshImport(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: fetches the pinned sources with npm and the go command")
	}
	f, err := NewFetcher()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	defs := os.DirFS(filepath.Join(root, "providers"))
	for _, im := range Importers {
		t.Run(im.Provider, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			res, err := im.Run(ctx, f, defs)
			if errors.Is(err, ErrUnavailable) {
				unavailable(t, "%v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			files := res.Files()
			var drift []string
			for p, want := range files {
				got, err := os.ReadFile(filepath.Join(root, "schemas", filepath.FromSlash(p)))
				if err != nil {
					drift = append(drift, "missing: schemas/"+p)
				} else if !bytes.Equal(got, want) {
					drift = append(drift, "differs: schemas/"+p)
				}
			}
			stale, err := res.Stale(os.DirFS(filepath.Join(root, "schemas")))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range stale {
				drift = append(drift, "not imported: schemas/"+p)
			}
			sort.Strings(drift)
			if len(drift) > 0 {
				if len(drift) > 20 {
					drift = append(drift[:20], "...")
				}
				t.Errorf("%d committed files differ from a fresh import of %v; run `make catalog` (never edit imported files: change the overlay or the importer):\n%s",
					len(drift), im.Sources, joinLines(drift))
			}
		})
	}
}

func joinLines(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// unavailable skips loudly where npm or the network is missing, and fails on
// CI, where both must be there.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("needs npm and the module proxy: "+format, args...)
	}
	t.Skipf("SKIPPED (needs npm / network): "+format, args...)
}
