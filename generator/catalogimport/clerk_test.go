package catalogimport

import (
	"context"
	"strings"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// fakeNPM is a Fetcher that serves the given files as the npm package s,
// without npm or the network.
func fakeNPM(s Source, files map[string]string) *Fetcher {
	m := map[string][]byte{}
	for name, text := range files {
		m[name] = []byte(text)
	}
	return &Fetcher{files: map[Source]map[string][]byte{s: m}}
}

// testOverlay is an overlay with the envelope and sample a name-only import needs.
func testOverlay() *catalog.Overlay {
	return &catalog.Overlay{
		Envelope: []byte(`{"type":"object","properties":{"type":{"type":"string"}}}`),
		Sample:   []byte(`{"type":"{{event}}"}`),
	}
}

func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q, want it to contain %q", err, p)
		}
	}
}

func TestTSStringUnion(t *testing.T) {
	got, err := tsStringUnion("x\ntype WebhookEvent = 'email.sent' | \"email.bounced\";\ny", "WebhookEvent")
	if err != nil || strings.Join(got, ",") != "email.sent,email.bounced" {
		t.Fatalf("got %q, %v", got, err)
	}
	for name, text := range map[string]string{
		"a member that is not a literal": "type WebhookEvent = 'email.sent' | OtherEvent;",
		"no declaration":                 "type Other = 'a';",
		"two declarations":               "type WebhookEvent = 'a';\nexport type WebhookEvent = 'b';",
		"a multi-line declaration":       "type WebhookEvent =\n  | 'a'\n  | 'b';",
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := tsStringUnion(text, "WebhookEvent"); err == nil {
				t.Fatalf("got %q, want an error", got)
			}
		})
	}
}

// A name-only source that lost events or changed shape fails the import,
// naming the source, instead of shrinking or garbling the catalogue.
func TestListEventsFailsLoudly(t *testing.T) {
	ev := func(names ...string) []listedEvent {
		var out []listedEvent
		for _, n := range names {
			out = append(out, listedEvent{name: n})
		}
		return out
	}
	for name, tc := range map[string]struct {
		events []listedEvent
		floor  int
		want   string
	}{
		"fewer than the floor": {ev("a.created", "a.updated"), 3, "2 events, fewer than the 3 expected"},
		"an invalid name":      {ev("a.created", "a created!"), 1, `event name "a created!"`},
		"a name twice":         {ev("a.created", "a.created"), 1, `"a.created" listed twice`},
		"one file name":        {ev("deployment.ready", "deployment-ready"), 1, `map to the same file name "deployment_ready"`},
	} {
		t.Run(name, func(t *testing.T) {
			err := listEvents(newResult("acme"), testOverlay(), "Acme", tc.events, tc.floor, "npm acme@1.0.0 types.d.ts")
			wantError(t, err, "npm acme@1.0.0 types.d.ts", tc.want)
		})
	}
}

// Every listed event gets the envelope, titled and described, and a sample
// carrying its name; the overlay's own events are left alone.
func TestListEventsWritesEnvelopes(t *testing.T) {
	ov := testOverlay()
	ov.Handwritten = []string{"a.updated"}
	res := newResult("acme", "src")
	if err := listEvents(res, ov, "Acme", []listedEvent{{name: "a.created", desc: "Sent when an A\nis created. More."}, {name: "a.updated"}, {name: "a.deleted", deprecated: true}}, 3, "src"); err != nil {
		t.Fatal(err)
	}
	if _, err := res.finish(ov.Owned()); err != nil {
		t.Fatal(err)
	}
	files := res.Files()
	for file, want := range map[string]string{
		"events/acme/a_created.json":  `"description": "Sent when an A is created."`,
		"events/acme/a_deleted.json":  `"description": "The a.deleted event. (Deprecated.)"`,
		"samples/acme/a_created.json": `"type": "a.created"`,
		"catalog/acme.json":           `"name": "a.updated"`,
	} {
		if !strings.Contains(string(files[file]), want) {
			t.Errorf("%s does not contain %s:\n%s", file, want, files[file])
		}
	}
	for _, file := range []string{"events/acme/a_updated.json", "samples/acme/a_updated.json"} {
		if _, ok := files[file]; ok {
			t.Errorf("%s written for a hand-written event", file)
		}
	}
}

func TestClerkRefusesAnUnreadWebhookUse(t *testing.T) {
	f := fakeNPM(clerkBackend, map[string]string{clerkWebhooksFile: `type Webhook<EvtType, Data> = { type: EvtType };
export type UserWebhookEvent = Webhook<'user.created' | 'user.updated', UserJSON>;
export type EmailWebhookEvent = Webhook<EmailEventType, EmailJSON>;
`})
	_, err := importClerk(context.Background(), f, testOverlay())
	wantError(t, err, clerkWebhooksFile, "2 uses of Webhook<...>, 1 of them in the expected form")
}
