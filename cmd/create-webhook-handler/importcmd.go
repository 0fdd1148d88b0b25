package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing/fstest"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/catalogimport"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
)

func newImport(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import a provider from a document that describes its webhooks",
	}
	cmd.AddCommand(newImportOpenAPI(e))
	return cmd
}

func newImportOpenAPI(e *env) *cobra.Command {
	var name, like, dir, title string
	var force bool
	cmd := &cobra.Command{
		Use:   "openapi FILE --provider NAME --like BUILTIN",
		Short: "Turn an OpenAPI document's webhooks into a project-local provider",
		Long: `import openapi reads the webhooks an OpenAPI document describes (the 3.1
top-level webhooks section, or the 3.0 x-webhooks one; JSON or YAML) and
writes a provider of your project under DIR/webhooks/providers: a definition
that signs, sends its credentials and names its events as the built-in
provider --like does (standard-webhooks, svix, generic-hmac, ...), one event
schema per webhook with the document's components in common.json, and a
sample per event (the document's example, or a minimal valid payload).

The schemas are relaxed as the built-in catalogues are: nothing below the
top is required, enums and formats are not enforced, optional fields accept
null, so an event the sender really sends is not dead-lettered. Then
add --provider NAME uses the provider like any other. Nothing is written
when the document has a problem; errors read FILE: JSON pointer: message.`,
		Example: `  create-webhook-handler import openapi polar.json --provider polar-hooks --like standard-webhooks
  create-webhook-handler import openapi clerk.yaml --provider clerk-hooks --like svix --dir ./service`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" || like == "" {
				return errors.New("pass --provider NAME (the new provider's name) and --like BUILTIN (whose signature it shares)")
			}
			if !catalog.ValidProviderName(name) {
				return fmt.Errorf("--provider %q: a provider name is lower-case letters, digits and '-', starting with a letter (at most 40)", name)
			}
			c, err := e.catalog()
			if err != nil {
				return err
			}
			base, ok := c.Provider(like)
			if !ok {
				return fmt.Errorf("--like %q: no such built-in provider; run `create-webhook-handler providers list`", like)
			}
			if err := catalogimport.CheckLike(base); err != nil {
				return err
			}
			if _, clash := c.Provider(name); clash {
				return fmt.Errorf("--provider %q: a built-in provider has that name: choose another", name)
			}
			likeDef, err := fs.ReadFile(providers.FS, like+".json")
			if err != nil {
				return err
			}
			file := args[0]
			raw, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
				if raw, err = yaml.YAMLToJSON(raw); err != nil {
					return problem{fmt.Errorf("%s: not JSON or YAML: %w", file, err)}
				}
			}
			if title == "" {
				title = name
			}
			files, err := catalogimport.FromOpenAPI(raw, name, title, base, likeDef)
			if err != nil {
				return problem{fmt.Errorf("%s: %w", file, err)}
			}
			// Load what would be written exactly as a project's providers
			// are loaded: an invalid result is never written.
			mem := fstest.MapFS{}
			for p, b := range files {
				mem[p] = &fstest.MapFile{Data: b}
			}
			loaded, err := catalog.LoadLabelled(mem, mem, catalog.ProjectDir)
			if err != nil {
				return problem{fmt.Errorf("%s: the imported provider does not validate:\n%w", file, err)}
			}
			if got := loaded.Names(); len(got) != 1 || got[0] != name {
				return fmt.Errorf("the import of %s loaded providers %v, want just %s", file, got, name)
			}
			root := filepath.Join(dir, filepath.FromSlash(catalog.ProjectDir))
			changes, err := importChanges(root, name, files, force)
			if err != nil {
				return err
			}
			// Staged and renamed as every generated file is: all or
			// nothing, never through a symlink out of the project.
			if err := write.Apply(dir, changes, false); err != nil {
				return err
			}
			events := 0
			for p := range files {
				if filepath.Dir(p) == filepath.Join("events", name) && filepath.Base(p) != "common.json" {
					events++
				}
			}
			fmt.Fprintf(e.stderr, "imported %d events of %s into %s (signature as %s); next: create-webhook-handler add --provider %s\n", events, name, root, like, name)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "provider", "", "the new provider's name (lower case, digits and -)")
	cmd.Flags().StringVar(&like, "like", "", "the built-in provider whose signature scheme, credentials and event sources it shares")
	cmd.Flags().StringVar(&dir, "dir", ".", "the project directory")
	cmd.Flags().StringVar(&title, "title", "", "the provider's display name (default: its name)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the provider's files if they exist")
	return cmd
}

// importChanges plans the import's files under root, the project's
// webhooks/providers. An existing file is refused without force; with it,
// the provider's schemas and samples the new document no longer has go.
func importChanges(root, name string, files map[string][]byte, force bool) ([]write.Change, error) {
	rel := func(p string) string { return path.Join(catalog.ProjectDir, p) }
	var changes []write.Change
	for _, p := range catalogimport.SortedPaths(files) {
		full := filepath.Join(root, filepath.FromSlash(p))
		if _, err := os.Stat(full); err == nil && !force {
			return nil, problem{fmt.Errorf("%s already exists: pass --force to replace the provider %s", full, name)}
		}
		changes = append(changes, write.Change{File: &render.File{Path: rel(p), Content: files[p]}, Action: write.Update})
	}
	if force {
		for _, dir := range []string{"events", "samples"} {
			entries, err := os.ReadDir(filepath.Join(root, dir, name))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			for _, e := range entries {
				p := path.Join(dir, name, e.Name())
				if _, kept := files[p]; !kept && !e.IsDir() {
					changes = append(changes, write.Change{File: &render.File{Path: rel(p)}, Action: write.Delete, Remove: true})
				}
			}
		}
	}
	return changes, nil
}
