package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/diff"
	"github.com/create-webhook-handler/create-webhook-handler/generator/merge"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
)

func newCheck(e *env) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Verify that the generated files are what the generator produces (for CI)",
		Long: `check renders the project in memory from its manifest and compares it with
the disk: generated files changed (by hand, or by a newer template), missing,
or orphaned; handlers missing; user-owned files lacking what the generator
needs. It never writes and never prompts. Exit 0: clean; 1: drift, with a
unified diff; 2: it could not run.`,
		Example: `  create-webhook-handler check
  create-webhook-handler check --dir ./hooks   # in CI, or a pre-commit hook`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			changes, err := planRegeneration(e, dir)
			if err != nil {
				return err
			}
			drift := 0
			for _, c := range changes {
				what := describe(c)
				if what == "" {
					continue
				}
				drift++
				fmt.Fprintf(e.stdout, "%s: %s\n", c.File.Path, what)
			}
			for _, c := range changes {
				if describe(c) != "" {
					fmt.Fprint(e.stdout, changeDiff(c))
				}
			}
			fmt.Fprintf(e.stderr, "checked %d files in %s\n", len(changes), time.Since(start).Round(time.Millisecond))
			if drift > 0 {
				return problem{fmt.Errorf("%d file(s) differ from what the generator produces: run `create-webhook-handler init` to regenerate (hand edits are refused without --force)", drift)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the project's directory")
	return cmd
}

func newDiff(e *env) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show what regenerating the project would change, as a unified diff",
		Long: `diff prints, as a unified diff, every change a regeneration (init without
flags) would make: generated files updated, created or deleted, additions
to go.mod, go.sum and config/webhooks.json, handlers created. It writes
nothing. Exit 0: no change; 1: changes shown; 2: it could not run.`,
		Example: `  create-webhook-handler diff
  create-webhook-handler diff --dir ./hooks | less`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			changes, err := planRegeneration(e, dir)
			if err != nil {
				return err
			}
			n := 0
			for _, c := range changes {
				if describe(c) != "" {
					n++
					fmt.Fprint(e.stdout, changeDiff(c))
				}
			}
			if n > 0 {
				return problem{fmt.Errorf("a regeneration would change %d file(s)", n)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the project's directory")
	return cmd
}

// planRegeneration renders the project from its manifest and plans it
// against the disk, without writing.
func planRegeneration(e *env, dir string) ([]write.Change, error) {
	p, err := openProject(e, dir)
	if err != nil {
		return nil, err
	}
	project, _, err := renderAnswers(p.catalog, p.manifest.Answers)
	if err != nil {
		return nil, err
	}
	return write.Plan(dir, project, p.manifest, merge.File)
}

// describe says how a planned change is drift; "" when it is not. The
// manifest itself is bookkeeping (its version line changes with the tool).
func describe(c write.Change) string {
	if c.File.Kind == render.ManifestKind {
		return ""
	}
	switch c.Action {
	case write.Create:
		return "missing"
	case write.Update:
		if c.File.Kind == render.Merged {
			return "lacks what the generator needs"
		}
		return "out of date (a regeneration would update it)"
	case write.Conflict:
		if c.Remove {
			return "orphaned, and edited by hand"
		}
		return "edited by hand"
	case write.Delete:
		return "orphaned (its provider or event is gone)"
	case write.Restore:
		return "taken out of the build, though its event is back"
	case write.Retire:
		return "handler of a removed event, still in the build"
	}
	return ""
}

func changeDiff(c write.Change) string {
	var from, to []byte = c.OnDisk, c.File.Content
	if c.Remove {
		to = nil
	}
	return diff.Unified(c.File.Path, c.File.Path+" (generated)", from, to)
}
