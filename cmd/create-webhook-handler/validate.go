package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

func newValidate(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate PATH...",
		Short: "Validate provider definitions and event schemas",
		Long: `validate checks each file: a provider definition (<name>.json) against
schemas/provider.schema.json, or an event schema (under events/) as JSON
Schema 2020-12. A directory is checked as a project's webhooks/providers
folder: definitions, their event schemas and samples. Every error is printed
as file: JSON pointer: message. Exit 0: valid; 1: errors; 2: unreadable.`,
		Example: `  create-webhook-handler validate webhooks/providers/acme.json
  create-webhook-handler validate webhooks/providers`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				info, err := os.Stat(path)
				if err != nil {
					return err
				}
				if info.IsDir() {
					fsys := os.DirFS(path)
					_, err = catalog.LoadLabelled(fsys, fsys, filepath.ToSlash(path))
				} else {
					err = validateFile(path)
				}
				if err != nil {
					bad++
					fmt.Fprintln(e.stdout, err)
					continue
				}
				fmt.Fprintf(e.stderr, "%s: valid\n", path)
			}
			if bad > 0 {
				return problem{fmt.Errorf("%d of %d path(s) invalid", bad, len(args))}
			}
			return nil
		},
	}
}

// validateFile checks one file: an event schema when it sits under an
// events/ folder, a provider definition otherwise.
func validateFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	slash := filepath.ToSlash(path)
	if strings.Contains(slash, "/events/") || strings.HasPrefix(slash, "events/") {
		return catalog.ValidateEventSchema(slash, b)
	}
	_, err = catalog.ValidateDefinition(slash, b)
	return err
}
