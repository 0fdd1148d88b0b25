package render_test

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
)

// patternCatalog is a small catalogue that does not change when the real
// one does: "pay" names events with dots (its definition order interleaves
// resources on purpose) and gets the catch-all the catalogue adds, last;
// "shop" names them with slashes and has a catch-all of its own, not last.
// (Every loaded provider has a catch-all: answers_internal_test.go covers
// one without.)
func patternCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	type event struct {
		Name        string `json:"name"`
		Default     bool   `json:"default"`
		Description string `json:"description"`
	}
	defs := map[string][]event{
		"pay": {
			{"checkout.session.completed", true, "A Checkout Session was completed."},
			{"checkout.session.expired", false, "A Checkout Session expired."},
			{"customer.subscription.created", true, "A customer was signed up for a plan."},
			{"customer.subscription.deleted", true, "A customer's subscription ended."},
			{"invoice.paid", true, "An invoice was paid."},
			{"customer.subscription.updated", false, "A subscription changed."},
			{"invoice.payment_failed", false, "An invoice payment attempt failed."},
			{"invoice.payment_succeeded", false, "An invoice payment attempt succeeded."},
			{"invoice.upcoming", false, "An invoice will be created soon."},
			{"payment_intent.succeeded", false, "A PaymentIntent was paid."},
			{"customer.created", false, "A customer was created."},
		},
		"shop": {
			{"orders/create", true, "An order was created."},
			{"orders/paid", false, "An order was paid."},
			{"products/create", false, "A product was created."},
			{"products/update", false, "A product changed."},
			{"app/uninstalled", true, "The app was uninstalled."},
			{"*", false, "Every other topic."},
			{"customers/data_request", false, "A customer asked for their data."},
		},
	}
	// The shipped generic provider's definition, renamed and given these
	// events, so the test follows the definition schema as it changes.
	base, err := fs.ReadFile(providers.FS, "generic-hmac.json")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, events := range defs {
		var def map[string]any
		if err := json.Unmarshal(base, &def); err != nil {
			t.Fatal(err)
		}
		def["name"], def["title"], def["events"] = name, name, events
		b, err := json.Marshal(def)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name+".json"] = &fstest.MapFile{Data: b}
	}
	c, err := catalog.Load(fsys, fstest.MapFS{})
	if err != nil {
		t.Fatalf("load the test catalogue: %v", err)
	}
	return c
}

// normalizeEvents normalizes one selection per flag value ("pay=a,b") and
// returns the events chosen, "name=e1,e2" per provider, space-separated.
func normalizeEvents(t *testing.T, c *catalog.Catalog, flags ...string) (string, error) {
	t.Helper()
	a := render.Answers{Module: "example.com/x"}
	for _, f := range flags {
		s, err := render.ParseProviderFlag(f)
		if err != nil {
			t.Fatalf("ParseProviderFlag(%q): %v", f, err)
		}
		a.Providers = append(a.Providers, s)
	}
	n, err := render.Normalize(a, c)
	if err != nil {
		return "", err
	}
	var got []string
	for _, s := range n.Providers {
		got = append(got, s.Name+"="+strings.Join(s.Events, ","))
	}
	return strings.Join(got, " "), nil
}

func TestNormalizeEventPatterns(t *testing.T) {
	c := patternCatalog(t)
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"exact", []string{"pay=invoice.paid"}, "pay=invoice.paid"},
		{"exact names in definition order", []string{"pay=customer.created,invoice.paid"}, "pay=invoice.paid,customer.created"},
		{"no events: the defaults", []string{"pay"}, "pay=checkout.session.completed,customer.subscription.created,customer.subscription.deleted,invoice.paid"},
		{"prefix pattern", []string{"pay=invoice.*"}, "pay=invoice.paid,invoice.payment_failed,invoice.payment_succeeded,invoice.upcoming"},
		{"several patterns", []string{"pay=invoice.payment_*,checkout.*"},
			"pay=checkout.session.completed,checkout.session.expired,invoice.payment_failed,invoice.payment_succeeded"},
		{"overlapping patterns and names, deduplicated", []string{"pay=customer.*,customer.subscription.*,customer.subscription.created"},
			"pay=customer.subscription.created,customer.subscription.deleted,customer.subscription.updated,customer.created"},
		{"patterns across selections", []string{"pay=customer.subscription.*", "pay=customer.subscription.updated,invoice.paid"},
			"pay=customer.subscription.created,customer.subscription.deleted,invoice.paid,customer.subscription.updated"},
		{"star spans dots", []string{"pay=*.created"}, "pay=customer.subscription.created,customer.created"},
		{"star in the middle and at both ends", []string{"pay=*payment*"}, "pay=invoice.payment_failed,invoice.payment_succeeded,payment_intent.succeeded"},
		{"star in the middle", []string{"pay=customer.*.created"}, "pay=customer.subscription.created"},
		{"the whole name is matched", []string{"pay=invoice.pa*"}, "pay=invoice.paid,invoice.payment_failed,invoice.payment_succeeded"},
		{"slash names", []string{"shop=products/*"}, "shop=products/create,products/update"},
		{"star spans slashes", []string{"shop=*/create"}, "shop=orders/create,products/create"},
		{"lone star is the catch-all event", []string{"shop=*"}, "shop=*"},
		{"lone star beside a pattern", []string{"shop=customers/*,*"}, "shop=*,customers/data_request"},
		{"the catch-all the catalogue adds", []string{"pay=*,invoice.paid"}, "pay=invoice.paid,*"},
		{"a pattern never selects the catch-all", []string{"shop=**"},
			"shop=orders/create,orders/paid,products/create,products/update,app/uninstalled,customers/data_request"},
		{"nor does a lone star select anything else", []string{"pay=**,*"},
			"pay=checkout.session.completed,checkout.session.expired,customer.subscription.created,customer.subscription.deleted,invoice.paid," +
				"customer.subscription.updated,invoice.payment_failed,invoice.payment_succeeded,invoice.upcoming,payment_intent.succeeded,customer.created,*"},
		{"two providers", []string{"shop=orders/*", "pay=invoice.u*"}, "pay=invoice.upcoming shop=orders/create,orders/paid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := normalizeEvents(t, c, tc.flags...)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tc.flags, err)
			}
			if got != tc.want {
				t.Errorf("Normalize(%q)\n got %s\nwant %s", tc.flags, got, tc.want)
			}
		})
	}
}

const showPay = "run `create-webhook-handler providers show pay` to see its events"

func TestNormalizeUnknownEvents(t *testing.T) {
	c := patternCatalog(t)
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"one, with suggestions", []string{"pay=checkout.session.complete"},
			`unknown event "checkout.session.complete" for provider pay (did you mean checkout.session.completed, checkout.session.expired?): ` + showPay},
		{"one, nothing close", []string{"pay=zzz"}, `unknown event "zzz" for provider pay: ` + showPay},
		{"underscore for dot", []string{"pay=invoice_paid"}, `unknown event "invoice_paid" for provider pay (did you mean invoice.paid?): ` + showPay},
		{"singular for plural", []string{"shop=product/update"},
			"unknown event \"product/update\" for provider shop (did you mean products/update, products/create?): run `create-webhook-handler providers show shop` to see its events"},
		{"case", []string{"pay=Invoice.Paid"}, `unknown event "Invoice.Paid" for provider pay (did you mean invoice.paid?): ` + showPay},
		{"a part of a name", []string{"pay=subscription.created"},
			`unknown event "subscription.created" for provider pay (did you mean customer.subscription.created?): ` + showPay},
		{"a pattern matching nothing", []string{"pay=invoices.*"},
			`event pattern "invoices.*" matches no event of provider pay (did you mean invoice.paid, invoice.payment_failed, invoice.payment_succeeded?): ` + showPay},
		{"a pattern matching nothing, nothing close", []string{"pay=refund.*"}, `event pattern "refund.*" matches no event of provider pay: ` + showPay},
		{"every unknown at once, once each, with the known ones ignored", []string{"pay=checkout.session.complete,invoice.paid,invoice_paid,refund.*,checkout.session.complete", "pay=zzz,*"},
			`unknown events for provider pay: "checkout.session.complete" (did you mean checkout.session.completed, checkout.session.expired?), ` +
				`"invoice_paid" (did you mean invoice.paid?), "refund.*" (matches no event), "zzz"; ` + showPay},
		{"a pattern matching nothing in a list", []string{"pay=invoices.*,zzz"},
			`unknown events for provider pay: "invoices.*" (matches no event; did you mean invoice.paid, invoice.payment_failed, invoice.payment_succeeded?), "zzz"; ` + showPay},
		{"two providers, in the order given", []string{"shop=order/create", "pay=zzz"},
			"unknown event \"order/create\" for provider shop (did you mean orders/create?): run `create-webhook-handler providers show shop` to see its events; " +
				`unknown event "zzz" for provider pay: ` + showPay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := normalizeEvents(t, c, tc.flags...)
			if err == nil {
				t.Fatalf("Normalize(%q) = %s, want an error", tc.flags, got)
			}
			if err.Error() != tc.want {
				t.Errorf("Normalize(%q) error\n got %s\nwant %s", tc.flags, err, tc.want)
			}
		})
	}
}

func TestAnswersMatchEventPattern(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"invoice.paid", "invoice.paid", true},
		{"invoice.paid", "invoice.paidx", false},
		{"invoice.*", "invoice.paid", true},
		{"invoice.*", "invoice.", true},
		{"invoice.*", "invoice", false},
		{"invoice.*", "xinvoice.paid", false},
		{"*.paid", "invoice.paid", true},
		{"*.paid", "invoice.paid.x", false},
		{"*", "", true},
		{"*", "a.b/c:d", true},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"a*b*c", "a.b.c", true},
		{"a*b*c", "a.c.b", false},
		{"a*b*b", "abb", true},
		{"a*b*b", "ab", false},
		{"*:*", "repo:push", true},
		{"*:*", "push", false},
		{"orders/*", "orders/create", true},
		{"Orders/*", "orders/create", false}, // case-sensitive
		{"a.c", "abc", false},                // '.' is no metacharacter
		{"a?c", "abc", false},                // nor is '?'
	} {
		if got := render.MatchEventPattern(tc.pattern, tc.name); got != tc.want {
			t.Errorf("MatchEventPattern(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
	for s, want := range map[string]bool{"*": false, "invoice.*": true, "**": true, "invoice.paid": false} {
		if got := render.IsEventPattern(s); got != want {
			t.Errorf("IsEventPattern(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestAnswersSuggestEvents(t *testing.T) {
	c := patternCatalog(t)
	pay, _ := c.Provider("pay")
	shop, _ := c.Provider("shop")
	for _, tc := range []struct {
		p     *catalog.Provider
		query string
		n     int
		want  []string
	}{
		{pay, "checkout.session.complete", 3, []string{"checkout.session.completed", "checkout.session.expired"}},
		{pay, "checkout.session.complete", 1, []string{"checkout.session.completed"}},
		{pay, "invoice_paid", 3, []string{"invoice.paid"}},
		{pay, "invoice.payed", 3, []string{"invoice.paid"}},
		{pay, "inovice.paid", 3, []string{"invoice.paid"}}, // a swap costs one
		{pay, "INVOICE.PAID", 3, []string{"invoice.paid"}},
		{pay, "invoice.payment_*", 3, []string{"invoice.payment_failed", "invoice.payment_succeeded"}}, // what a pattern matches is at distance 0
		{pay, "customer.subscription", 3, []string{"customer.subscription.created", "customer.subscription.deleted", "customer.subscription.updated"}},
		{pay, "zzz", 3, nil},
		{pay, "*", 3, nil},
		{shop, "products/updated", 3, []string{"products/update", "products/create"}},
		{shop, "*", 3, nil},
	} {
		got := render.SuggestEvents(tc.p, tc.query, tc.n)
		if !slices.Equal(got, tc.want) {
			t.Errorf("SuggestEvents(%s, %q, %d) = %q, want %q", tc.p.Name, tc.query, tc.n, got, tc.want)
		}
	}
}
