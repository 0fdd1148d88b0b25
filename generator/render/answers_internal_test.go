package render

import (
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// A loaded catalogue gives every provider a catch-all; a provider built by
// hand can lack one, and then "*" is an unknown event, said so.
func TestAnswersLoneStarWithoutCatchAll(t *testing.T) {
	p := &catalog.Provider{Name: "pay", Events: []*catalog.Event{{Name: "invoice.paid"}, {Name: "invoice.created"}}}
	if got := ExpandEvent(p, "*"); got != nil {
		t.Errorf(`ExpandEvent("*") = %q, want nothing`, got)
	}
	if got := ExpandEvent(p, "**"); len(got) != 2 {
		t.Errorf(`ExpandEvent("**") = %q, want both events`, got)
	}
	for _, tc := range []struct {
		unknown []string
		want    string
	}{
		{[]string{"*"}, "unknown event \"*\" for provider pay (the provider has no catch-all event): run `create-webhook-handler providers show pay` to see its events"},
		{[]string{"invoice.payed", "*"}, "unknown events for provider pay: \"invoice.payed\" (did you mean invoice.paid, invoice.created?), " +
			"\"*\" (the provider has no catch-all event); run `create-webhook-handler providers show pay` to see its events"},
	} {
		if got := unknownEvents(p, tc.unknown); got != tc.want {
			t.Errorf("unknownEvents(%q)\n got %s\nwant %s", tc.unknown, got, tc.want)
		}
	}
}
