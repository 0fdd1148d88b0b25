package prompt

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/AlecAivazis/survey/v2/core"
)

// manyEvents is a provider's worth of events, as the imported catalogues
// have: 300, of 30 resources (dotted, nested and slashed names), defined
// action by action so a resource's events are far apart, the catch-all
// last, a description that says "vanished" once, and the events created by
// name of the first three resources as defaults.
func manyEvents() (options []Option, defaults []string) {
	actions := []string{"created", "updated", "deleted", "paid", "payment_failed", "finalized", "voided", "expired", "closed", "reopened"}
	var resources []string
	for i := range 28 {
		switch {
		case i%3 == 1:
			resources = append(resources, fmt.Sprintf("res%02d.sub", i))
		default:
			resources = append(resources, fmt.Sprintf("res%02d", i))
		}
	}
	resources = append(resources, "orders/", "customer.subscription")
	for _, a := range actions {
		for _, r := range resources {
			name := r + "." + a
			if strings.HasSuffix(r, "/") {
				name = r + a
			}
			desc := "Occurs whenever a " + strings.ReplaceAll(r, ".", " ") + " is " + strings.ReplaceAll(a, "_", " ") +
				", with every detail a handler could want to know about it, at length."
			if name == "res05.expired" {
				desc = "The object vanished."
			}
			options = append(options, Option{Value: name, Label: name + " — " + desc})
			if a == "created" && len(defaults) < 3 {
				defaults = append(defaults, name)
			}
		}
	}
	options = append(options, Option{Value: "*", Label: "* — Every other event; branch on its type."})
	return options, defaults
}

func TestResource(t *testing.T) {
	for name, want := range map[string]string{
		"customer.subscription.created": "customer.subscription",
		"invoice.paid":                  "invoice",
		"orders/create":                 "orders",
		"customers/data_request":        "customers",
		"zen:event-type:ticket.created": "zen:event-type:ticket",
		"push":                          "",
		"repo:push":                     "", // ':' separates no resource
		"*":                             "",
		".hidden":                       "",
	} {
		if got := resource(name); got != want {
			t.Errorf("resource(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestPageSize(t *testing.T) {
	for rows, want := range map[int]int{
		0:   MultiSelectPageSize, // unknown
		-1:  MultiSelectPageSize,
		24:  19,
		50:  45,
		8:   3,
		2:   minPageSize,
		200: 195,
	} {
		if got := pageSize(rows); got != want {
			t.Errorf("pageSize(%d) = %d, want %d", rows, got, want)
		}
	}
}

func TestMatches(t *testing.T) {
	const label, value = "invoice.payment_failed — An invoice payment attempt failed.", "invoice.payment_failed"
	for filter, want := range map[string]bool{
		"":                  true,
		"invoice":           true,
		"INVOICE.PAY":       true, // case
		"attempt":           true, // the description
		"payment_failed":    true,
		"inv*fail":          true, // '*' spans
		"*failed":           true,
		"failed*invoice":    true, // "failed — An invoice"
		"failed*charge":     false,
		"charge":            false,
		"invoice.payment.f": false, // '.' is itself
	} {
		if got := matches(label, value, filter); got != want {
			t.Errorf("matches(%q) = %v, want %v", filter, got, want)
		}
	}
	// Parts match in order.
	if matches(value, value, "failed*invoice") {
		t.Error(`"failed*invoice" matches "invoice.payment_failed"`)
	}
	// The value counts when the label does not show it.
	if !matches("Payment failed", "invoice.payment_failed", "invoice") {
		t.Error("the value is not matched")
	}
}

func TestFit(t *testing.T) {
	long := strings.Repeat("é", 50)
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"short", 72, "short"},
		{long, 50, long},
		{long, 30, strings.Repeat("é", 29) + "…"},
		{long, 10, long}, // too narrow to help: survey wraps it
		{long, -7, long}, // unknown width
		{long, 0, long},
	} {
		if got := fit(tc.s, tc.width); got != tc.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}

// A short list keeps its order and labels; only the catch-all moves, first.
func TestArrangeShortList(t *testing.T) {
	options := []Option{
		{Value: "message", Label: "message — A message was posted."},
		{Value: "app_mention", Label: "app_mention — The app was mentioned."},
		{Value: "*", Label: "* — Any other event."},
		{Value: "team.join"}, // no label: the value
	}
	l := arrange(options, 0)
	if want := []int{2, 0, 1, 3}; !slices.Equal(l.order, want) {
		t.Errorf("order %v, want %v", l.order, want)
	}
	wantLabels := []string{"* (catch-all) — Any other event.", "message — A message was posted.", "app_mention — The app was mentioned.", "team.join"}
	if !slices.Equal(l.labels, wantLabels) || !slices.Equal(l.full, wantLabels) {
		t.Errorf("labels %q, want %q", l.labels, wantLabels)
	}
	for i, shown := range l.shownAt {
		if l.order[shown] != i {
			t.Errorf("shownAt[%d] = %d, but order[%d] = %d", i, shown, shown, l.order[i])
		}
	}
	// Answers are values in option order, whatever order they were picked in.
	picked := []core.OptionAnswer{{Index: 3}, {Index: 0}, {Index: 1}}
	if got, want := l.values(options, picked), []string{"message", "*", "team.join"}; !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}

	// A catch-all whose label does not start with its name is still marked.
	l = arrange([]Option{{Value: "push"}, {Value: "*", Label: "Everything else"}}, 0)
	if want := []string{"(catch-all) Everything else", "push"}; !slices.Equal(l.labels, want) {
		t.Errorf("labels %q, want %q", l.labels, want)
	}
}

// A long list of events is grouped by resource, the catch-all first, and
// cut to the terminal's width; filtering still sees whole labels.
func TestArrangeManyEvents(t *testing.T) {
	options, _ := manyEvents()
	const cols = 80
	l := arrange(options, cols)
	if len(l.order) != len(options) || len(l.labels) != len(options) || len(l.full) != len(options) {
		t.Fatalf("%d options arranged as %d, %d labels, %d full", len(options), len(l.order), len(l.labels), len(l.full))
	}
	if sorted := slices.Sorted(slices.Values(l.order)); !slices.Equal(sorted, seq(len(options))) {
		t.Fatalf("order is not a permutation: %v", l.order)
	}
	if options[l.order[0]].Value != "*" || !strings.Contains(l.labels[0], "* (catch-all) — Every other event") {
		t.Errorf("first shown: %q (%q), want the catch-all", options[l.order[0]].Value, l.labels[0])
	}
	// Each resource's events together, resources in the order they first
	// appear, events of one resource in option order.
	var resources []string
	last := -1
	for shown, i := range l.order[1:] {
		v := options[i].Value
		r := resource(v)
		if len(resources) == 0 || resources[len(resources)-1] != r {
			if slices.Contains(resources, r) {
				t.Fatalf("resource %q shown in two runs (at %d, %s)", r, shown+1, v)
			}
			resources = append(resources, r)
		} else if i < last {
			t.Errorf("%s shown after an event of its resource defined later", v)
		}
		last = i
		const column = 21 + 2 // "customer.subscription", the longest, and two spaces
		label := l.full[shown+1]
		if !strings.HasPrefix(label, r+strings.Repeat(" ", column-len(r))+options[i].Label) {
			t.Errorf("label %q, want %q behind its resource %q in a column of %d", label, options[i].Label, r, column)
		}
	}
	if want := []string{"res00", "res01.sub", "res02", "res03"}; !slices.Equal(resources[:4], want) || len(resources) != 30 {
		t.Errorf("resources %q..., %d of them; want %q... and 30", resources[:4], len(resources), want)
	}
	for shown, label := range l.labels {
		if n := utf8.RuneCountInString(label); n > cols-optionIndent-1 {
			t.Errorf("label %q is %d wide, more than fits %d columns", label, n, cols)
		}
		if full := l.full[shown]; label != full && !strings.HasPrefix(full, strings.TrimSuffix(label, "…")) {
			t.Errorf("label %q is not a cut of %q", label, full)
		}
	}
	// The filter sees past the cut: the end of every description.
	for shown := range l.labels {
		if !matches(l.full[shown], options[l.order[shown]].Value, "length.") && options[l.order[shown]].Value != "*" && options[l.order[shown]].Value != "res05.expired" {
			t.Errorf("%q: the end of the description does not match", l.full[shown])
		}
	}

	// Unknown width: nothing is cut.
	if l := arrange(options, 0); !slices.Equal(l.labels, l.full) {
		t.Error("labels cut on a terminal of unknown width")
	}
	// Names without resources (GitHub's) are not grouped however many.
	var flat []Option
	for _, o := range options[:40] {
		flat = append(flat, Option{Value: strings.NewReplacer(".", "_", "/", "_").Replace(o.Value)})
	}
	if l := arrange(flat, 0); !slices.Equal(l.order, seq(len(flat))) || l.full[0] != flat[0].Value {
		t.Errorf("names without resources arranged as %v, %q", l.order, l.full[0])
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
