package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/prompt"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

type changeFlags struct {
	dir       string
	providers []string
	noInput   bool
	dryRun    bool
	force     bool
}

func newAdd(e *env) *cobra.Command {
	var f changeFlags
	cmd := &cobra.Command{
		Use:   "add --provider NAME[=EVENT,...]...",
		Short: "Add providers, or events of a provider, to a generated project",
		Long: `add regenerates the project with more providers or events. New handler
files are created; existing ones are never touched; generated files edited by
hand are refused (see --force). On a terminal without --provider, it asks.`,
		Example: `  create-webhook-handler add --provider github
  create-webhook-handler add --dir ./hooks --provider 'shopify=orders/create,app/uninstalled'
  create-webhook-handler add --provider stripe=invoice.paid --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runAdd(e, f) },
	}
	changeFlagSet(e, cmd, &f, "provider to add, NAME or NAME=EVENT,EVENT (repeatable)")
	cmd.Flags().BoolVar(&f.noInput, "no-input", false, "never prompt; a missing answer is an error")
	return cmd
}

func changeFlagSet(e *env, cmd *cobra.Command, f *changeFlags, providerHelp string) {
	fl := cmd.Flags()
	fl.StringVar(&f.dir, "dir", ".", "the project's directory")
	fl.StringArrayVar(&f.providers, "provider", nil, providerHelp)
	fl.BoolVarP(&f.dryRun, "dry-run", "n", false, "list what would change, write nothing")
	fl.BoolVarP(&f.force, "force", "f", false, "overwrite generated files even where they were edited by hand")
	_ = cmd.MarkFlagDirname("dir")
	_ = cmd.RegisterFlagCompletionFunc("provider", completeProviderFlag(e))
}

func runAdd(e *env, f changeFlags) error {
	p, err := openProject(e, f.dir)
	if err != nil {
		return err
	}
	add, err := parseProviderFlags(f.providers)
	if err != nil {
		return err
	}
	if len(add) == 0 {
		if e.prompter == nil || f.noInput {
			return fmt.Errorf("nothing to add: pass --provider NAME or NAME=EVENT,EVENT")
		}
		if add, err = askAdditions(e.prompter, p.catalog, p.manifest.Answers); err != nil {
			return err
		}
	}
	project, answers, err := renderAnswers(p.catalog, addSelections(p.manifest.Answers, add, p.catalog))
	if err != nil {
		return err
	}
	if sameAnswers(answers, p.manifest.Answers) {
		fmt.Fprintln(e.stderr, "those providers and events are already in the project; regenerating it as it is")
	}
	return apply(e, f.dir, project, p.manifest, f.dryRun, f.force)
}

// askAdditions offers the providers and events the project lacks.
func askAdditions(pr prompt.Prompter, c *catalog.Catalog, a render.Answers) ([]render.Selection, error) {
	have := map[string][]string{}
	for _, s := range a.Providers {
		have[s.Name] = s.Events
	}
	var opts []prompt.Option
	for _, name := range c.Names() {
		p, _ := c.Provider(name)
		if len(have[name]) == len(p.Events) {
			continue // every event already in
		}
		label := name + " — " + p.Title
		if _, ok := have[name]; ok {
			label += " (add events)"
		}
		opts = append(opts, prompt.Option{Value: name, Label: label})
	}
	if len(opts) == 0 {
		return nil, fmt.Errorf("the project already has every provider and event")
	}
	chosen, err := pr.MultiSelect("Providers to add", "space selects, enter confirms", opts, nil)
	if err != nil {
		return nil, err
	}
	var out []render.Selection
	for _, name := range chosen {
		p, _ := c.Provider(name)
		var evOpts []prompt.Option
		var defaults []string
		for _, ev := range p.Events {
			if slices.Contains(have[name], ev.Name) {
				continue
			}
			evOpts = append(evOpts, prompt.Option{Value: ev.Name, Label: ev.Name + " — " + ev.Description})
			if ev.Default {
				defaults = append(defaults, ev.Name)
			}
		}
		events, err := pr.MultiSelect(p.Title+" events to add", "defaults are pre-selected", evOpts, defaults)
		if err != nil {
			return nil, err
		}
		out = append(out, render.Selection{Name: name, Events: events})
	}
	return out, nil
}
