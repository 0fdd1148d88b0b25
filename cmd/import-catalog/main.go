// Command import-catalog regenerates the imported event catalogues (make
// catalog): for each provider named, or every importable one, it fetches the
// pinned sources, writes schemas/catalog/<name>.json, the event schemas in
// schemas/events/<name>/ and the samples in schemas/samples/<name>/, and
// removes the files a previous import wrote that this one did not. Files the
// provider's overlay owns are never touched. Run it from the repository root.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalogimport"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run ./cmd/import-catalog [PROVIDER...]\n\nImportable providers:")
		for _, im := range catalogimport.Importers {
			fmt.Fprintf(os.Stderr, " %s", im.Provider)
		}
		fmt.Fprintln(os.Stderr)
	}
	flag.Parse()
	if err := run(context.Background(), flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "import-catalog:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, names []string) error {
	if _, err := os.Stat(filepath.Join("schemas", "provider.schema.json")); err != nil {
		return errors.New("run it from the repository root (schemas/provider.schema.json not found)")
	}
	var importers []catalogimport.Importer
	if len(names) == 0 {
		importers = catalogimport.Importers
	}
	for _, n := range names {
		im, ok := catalogimport.Lookup(n)
		if !ok {
			return fmt.Errorf("%s: no importer (run with -h for the list)", n)
		}
		importers = append(importers, im)
	}
	f, err := catalogimport.NewFetcher()
	if err != nil {
		return err
	}
	defs := os.DirFS("providers")
	for _, im := range importers {
		res, err := im.Run(ctx, f, defs)
		if err != nil {
			return err
		}
		written, removed, err := write(res)
		if err != nil {
			return err
		}
		fmt.Printf("%s: %d files written, %d removed\n", im.Provider, written, removed)
	}
	return nil
}

// write puts the import's files under schemas/ and removes the ones a
// previous import left that this one did not write.
func write(res *catalogimport.Result) (written, removed int, err error) {
	root := "schemas"
	files := res.Files()
	stale, err := res.Stale(os.DirFS(root))
	if err != nil {
		return 0, 0, err
	}
	for _, p := range catalogimport.SortedPaths(files) {
		full := filepath.Join(root, filepath.FromSlash(p))
		if old, err := os.ReadFile(full); err == nil && string(old) == string(files[p]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return written, removed, err
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return written, removed, err
		}
		written++
	}
	for _, p := range stale {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			return written, removed, err
		}
		removed++
	}
	return written, removed, nil
}
