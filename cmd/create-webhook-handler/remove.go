package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

func newRemove(e *env) *cobra.Command {
	var f changeFlags
	cmd := &cobra.Command{
		Use:   "remove --provider NAME[=EVENT,...]...",
		Short: "Remove providers, or events of a provider, from a generated project",
		Long: `remove regenerates the project without the named providers (or events):
their generated files are deleted, their config section removed, and their
handler files kept but taken out of the build (a //go:build ignore header),
since the types they use are gone. The project still builds.`,
		Example: `  create-webhook-handler remove --provider shopify
  create-webhook-handler remove --dir ./hooks --provider github=release --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runRemove(e, f) },
	}
	changeFlagSet(e, cmd, &f, "provider to remove, NAME or NAME=EVENT,EVENT (repeatable)")
	return cmd
}

func runRemove(e *env, f changeFlags) error {
	p, err := openProject(e, f.dir)
	if err != nil {
		return err
	}
	drop, err := parseProviderFlags(f.providers)
	if err != nil {
		return err
	}
	if len(drop) == 0 {
		return fmt.Errorf("nothing to remove: pass --provider NAME or NAME=EVENT,EVENT")
	}
	a := p.manifest.Answers
	for _, d := range drop {
		i := slices.IndexFunc(a.Providers, func(s render.Selection) bool { return s.Name == d.Name })
		if i < 0 {
			return fmt.Errorf("the project has no provider %q (it has %s)", d.Name, names(a.Providers))
		}
		kept := a.Providers[i].Events
		if len(d.Events) > 0 {
			// An event may be a pattern (stripe=invoice.*): it removes every
			// selected event it matches.
			selects := func(sel, ev string) bool {
				return sel == ev || (render.IsEventPattern(sel) && render.MatchEventPattern(sel, ev))
			}
			kept = slices.DeleteFunc(slices.Clone(kept), func(ev string) bool {
				return slices.ContainsFunc(d.Events, func(sel string) bool { return selects(sel, ev) })
			})
			for _, sel := range d.Events {
				if !slices.ContainsFunc(a.Providers[i].Events, func(ev string) bool { return selects(sel, ev) }) {
					return fmt.Errorf("the project's %s provider has no event %q", d.Name, sel)
				}
			}
		}
		a.Providers = slices.Clone(a.Providers)
		if len(d.Events) == 0 || len(kept) == 0 {
			a.Providers = slices.Delete(a.Providers, i, i+1)
		} else {
			a.Providers[i] = render.Selection{Name: d.Name, Events: kept}
		}
	}
	if len(a.Providers) == 0 {
		return fmt.Errorf("a project needs at least one provider: add another before removing %s", names(drop))
	}
	project, _, err := renderAnswers(p.catalog, a)
	if err != nil {
		return err
	}
	return apply(e, f.dir, project, p.manifest, f.dryRun, f.force)
}
