package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
)

// showCatalog is a catalogue of one provider, "pay", with events of its own,
// so the expected lists do not change when the real catalogue does.
func showCatalog(t *testing.T) func() (*catalog.Catalog, error) {
	t.Helper()
	type event struct {
		Name        string `json:"name"`
		Default     bool   `json:"default"`
		Description string `json:"description"`
	}
	events := []event{
		{"invoice.paid", true, "An invoice was paid."},
		{"invoice.payment_failed", true, "An invoice payment attempt failed."},
		{"customer.subscription.created", true, "A subscription was created."},
		{"customer.subscription.deleted", false, "A subscription ended."},
		{"customer.created", false, "A customer was created."},
		{"payment_intent.succeeded", false, "A PaymentIntent was paid; see its invoice."},
		{"*", false, "Every other event."},
	}
	// The shipped generic provider's definition, renamed and given these
	// events, so the test follows the definition schema as it changes.
	base, err := fs.ReadFile(providers.FS, "generic-hmac.json")
	if err != nil {
		t.Fatal(err)
	}
	var def map[string]any
	if err := json.Unmarshal(base, &def); err != nil {
		t.Fatal(err)
	}
	def["name"], def["title"], def["events"] = "pay", "Pay", events
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(fstest.MapFS{"pay.json": {Data: b}}, fstest.MapFS{})
	if err != nil {
		t.Fatalf("load the test catalogue: %v", err)
	}
	return func() (*catalog.Catalog, error) { return c, nil }
}

// eventLineRE is an event line of providers show: the default mark, the name.
var eventLineRE = regexp.MustCompile(`^  ([* ]) (\S+) `)

func TestProvidersShowFilter(t *testing.T) {
	cat := showCatalog(t)
	for _, tc := range []struct {
		name   string
		args   []string
		events string // the event lines, "*" marking defaults
		count  string // the closing line; "" when there is none
	}{
		{"no filter: every event, no count", nil,
			"*invoice.paid *invoice.payment_failed *customer.subscription.created customer.subscription.deleted customer.created payment_intent.succeeded *", ""},
		{"substring", []string{"invoice"}, "*invoice.paid *invoice.payment_failed", `2 of 7 events match "invoice"`},
		{"substring anywhere in the name", []string{"created"}, "*customer.subscription.created customer.created", `2 of 7 events match "created"`},
		{"ignoring case", []string{"INVOICE.P"}, "*invoice.paid *invoice.payment_failed", `2 of 7 events match "INVOICE.P"`},
		{"not the description", []string{"paid"}, "*invoice.paid", `1 of 7 events match "paid"`},
		{"prefix pattern", []string{"customer.subscription.*"}, "*customer.subscription.created customer.subscription.deleted",
			`2 of 7 events match "customer.subscription.*"`},
		{"a pattern matches the whole name", []string{"*.created"}, "*customer.subscription.created customer.created", `2 of 7 events match "*.created"`},
		{"a pattern is not a substring", []string{"subscription.*"}, "", `0 of 7 events match "subscription.*"`},
		{"a pattern ignores case too", []string{"Customer.*"}, "*customer.subscription.created customer.subscription.deleted customer.created",
			`3 of 7 events match "Customer.*"`},
		{"a pattern in the middle", []string{"*pay*"}, "*invoice.payment_failed payment_intent.succeeded", `2 of 7 events match "*pay*"`},
		{"lone star: every event", []string{"*"},
			"*invoice.paid *invoice.payment_failed *customer.subscription.created customer.subscription.deleted customer.created payment_intent.succeeded *",
			`7 of 7 events match "*"`},
		{"nothing matches", []string{"refund"}, "", `0 of 7 events match "refund"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, catalog: cat}
			root := newRoot(e)
			root.SetArgs(append([]string{"providers", "show", "pay"}, tc.args...))
			root.SetOut(&stdout)
			root.SetErr(&stderr)
			if err := root.Execute(); err != nil {
				t.Fatalf("providers show pay %q: %v\n%s", tc.args, err, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
			// Everything above the events is shown as without a filter.
			header := slices.Index(lines, "events (* = default):")
			if header < 0 || !strings.HasPrefix(lines[0], "Pay (pay)") {
				t.Fatalf("output:\n%s", stdout.String())
			}
			var events []string
			rest := lines[header+1:]
			for len(rest) > 0 {
				m := eventLineRE.FindStringSubmatch(rest[0])
				if m == nil {
					break
				}
				events = append(events, strings.TrimSpace(m[1])+m[2])
				rest = rest[1:]
			}
			if got := strings.Join(events, " "); got != tc.events {
				t.Errorf("events\n got %s\nwant %s", got, tc.events)
			}
			if got := strings.Join(rest, "\n"); got != tc.count {
				t.Errorf("after the events: %q, want %q", got, tc.count)
			}
		})
	}
}

func TestProvidersShowArgs(t *testing.T) {
	cat := showCatalog(t)
	for _, args := range [][]string{{"providers", "show"}, {"providers", "show", "pay", "invoice", "extra"}} {
		var out bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, catalog: cat}
		root := newRoot(e)
		root.SetArgs(args)
		root.SetOut(&out)
		root.SetErr(&out)
		if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "arg(s)") {
			t.Errorf("%q: error %v, want one about the arguments", args, err)
		}
	}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, catalog: cat}
	if err := showProvider(e, "nope", "invoice", true); err == nil || !strings.Contains(err.Error(), `unknown provider "nope"`) {
		t.Errorf("unknown provider with a filter: %v", err)
	}
}
