package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
)

func newProviders(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "providers",
		Short: "List the supported providers, or show one",
		Example: `  create-webhook-handler providers list
  create-webhook-handler providers show stripe
  create-webhook-handler providers show stripe invoice`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return listProviders(e) },
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "list",
		Short:   "List the supported providers",
		Example: `  create-webhook-handler providers list`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return listProviders(e) },
	}, &cobra.Command{
		Use:   "show NAME [FILTER]",
		Short: "Show a provider's events, headers, secret variable and docs",
		Long: `Show a provider's events, headers, secret variable and docs.

FILTER lists only the events whose name contains it, ignoring case, or, when
it holds a '*', whose whole name matches it ('*' stands for any run of
characters): the patterns --provider NAME=EVENT,... accepts, such as
'invoice.*' or 'customer.subscription.*'.`,
		Example: `  create-webhook-handler providers show github
  create-webhook-handler providers show stripe invoice
  create-webhook-handler providers show stripe 'customer.subscription.*'`,
		Args: cobra.RangeArgs(1, 2),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp // FILTER is free text
			}
			return completeProviders(e)(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			filter, filtered := "", len(args) == 2
			if filtered {
				filter = args[1]
			}
			return showProvider(e, args[0], filter, filtered)
		},
	})
	return cmd
}

func listProviders(e *env) error {
	c, err := e.catalog()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tTITLE\tSCHEME\tVERIFIED BY\tEVENTS")
	for _, name := range c.Names() {
		p, _ := c.Provider(name)
		method, _ := p.Verification()
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\n", p.Name, p.Title, p.Signature.Scheme, method, len(p.Events))
	}
	return w.Flush()
}

// findProvider loads the catalogue and returns the named provider, or an
// error saying how to list them.
func findProvider(e *env, name string) (*catalog.Provider, error) {
	c, err := e.catalog()
	if err != nil {
		return nil, err
	}
	p, ok := c.Provider(name)
	if !ok {
		return nil, fmt.Errorf("unknown provider %q: run `create-webhook-handler providers list`", name)
	}
	return p, nil
}

// eventFilter is providers show's FILTER: a case-insensitive substring of
// the event name, or with a '*' a pattern of the whole name (the --provider
// patterns, see render.MatchEventPattern).
func eventFilter(filter string) func(name string) bool {
	f := strings.ToLower(filter)
	if strings.Contains(f, "*") {
		return func(name string) bool { return render.MatchEventPattern(f, strings.ToLower(name)) }
	}
	return func(name string) bool { return strings.Contains(strings.ToLower(name), f) }
}

// showProvider describes the named provider; with filtered, it lists only
// the events filter matches (see eventFilter) and says how many.
func showProvider(e *env, name, filter string, filtered bool) error {
	p, err := findProvider(e, name)
	if err != nil {
		return err
	}
	out := e.stdout
	fmt.Fprintf(out, "%s (%s)\n", p.Title, p.Name)
	fmt.Fprintf(out, "docs:       %s\n", p.Docs)
	fmt.Fprintf(out, "endpoint:   POST /webhooks/%s\n", p.Name)
	if method, source := p.Verification(); source != "" {
		fmt.Fprintf(out, "verified:   %s (%s)\n", method, source)
	} else {
		fmt.Fprintf(out, "verified:   %s\n", method)
	}
	fmt.Fprintf(out, "signature:  %s\n", signatureSummary(p.Signature))
	for _, cr := range p.Credentials {
		fmt.Fprintf(out, "credential: %s%s: %s\n", p.EnvPrefix(), cr.Name, cr.Description)
	}
	fmt.Fprintf(out, "event type: %s\n", sources(p.Event.Type))
	id := sources(p.Event.ID)
	switch p.Event.IDFallback {
	case "body-sha256":
		id = strings.TrimPrefix(id+", else a SHA-256 of the body", ", else ")
	case "unique":
		id = strings.TrimPrefix(id+", else a fresh id per delivery (no dedupe)", ", else ")
	}
	fmt.Fprintf(out, "event id:   %s\n", id)
	fmt.Fprintf(out, "delivery:   %s %s\n", p.Delivery.Timeout, p.Delivery.Retries)
	fmt.Fprintln(out, "events (* = default):")
	match, matched := eventFilter(filter), 0
	for _, ev := range p.Events {
		if filtered && !match(ev.Name) {
			continue
		}
		matched++
		mark := " "
		if ev.Default {
			mark = "*"
		}
		fmt.Fprintf(out, "  %s %-32s %s\n", mark, ev.Name, ev.Description)
	}
	if filtered {
		fmt.Fprintf(out, "%d of %d events match %q\n", matched, len(p.Events), filter)
	}
	return nil
}

func sources(srcs []catalog.Source) string {
	var parts []string
	for _, s := range srcs {
		switch {
		case s.Header != "":
			parts = append(parts, "header "+s.Header)
		case len(s.Present) > 0:
			parts = append(parts, "the name of the field present among "+strings.Join(s.Present, ", "))
		case s.Envelope != "":
			parts = append(parts, "JSON "+s.Envelope+" of the whole delivery")
		default:
			parts = append(parts, "JSON "+s.JSON)
		}
	}
	return strings.Join(parts, ", then ")
}

func completeProviders(e *env) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		c, err := e.catalog()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return c.Names(), cobra.ShellCompDirectiveNoFileComp
	}
}

// signatureSummary is a definition's signature in one line: the scheme,
// then only the details it has.
func signatureSummary(s catalog.Signature) string {
	var details []string
	add := func(format string, v any) {
		if v != "" && v != 0 {
			details = append(details, fmt.Sprintf(format, v))
		}
	}
	add("header %s", s.Header)
	if s.HeaderPrefix != "" {
		add("headers %s-id, -timestamp, -signature", s.HeaderPrefix)
	}
	add("%s", strings.ToUpper(s.Algorithm))
	add("%s", s.Encoding)
	add("prefix %q", s.Prefix)
	if f := s.Format; f != nil {
		add("timestamp in %s", f.TimestampHeader)
		add("prefix %q", f.Prefix)
	}
	add("id in %s", s.IDHeader)
	add("over %s", s.SignedPayload)
	add("tolerance %ds", s.ToleranceSeconds)
	if len(details) == 0 {
		return s.Scheme
	}
	return s.Scheme + " (" + strings.Join(details, ", ") + ")"
}
