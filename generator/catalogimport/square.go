package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var squareSDK = Source{"npm", "square", "46.0.0"}

const squareEventFiles = "api/types/*Event.d.ts"

var (
	// squareInterfaceRE is a file's interface and the doc comment before it.
	squareInterfaceRE = regexp.MustCompile(`(?s)(?:/\*\*\n(.*?)\n \*/\n)?export interface (\w+) \{\n(.*?)\n\}`)
	// squareTypeDocRE is the one-line doc comment of the type member.
	squareTypeDocRE = regexp.MustCompile(`/\*\* ([^\n]*?) \*/\n    type\?: string \| null;`)
	// squareTypeNameRE is the event type a type member's doc comment names:
	// `payment.created`, `"device.created"`, `"vendor.created".`
	squareTypeNameRE = regexp.MustCompile("`\"?([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)\"?\\.?`")
	// squareDataRE is a notification's data member, of some *EventData type.
	squareDataRE = regexp.MustCompile(`\n    data\?: Square\.\w+EventData;`)
	// squareLinkRE is a reference link in a description: [Payment](entity:Payment).
	squareLinkRE = regexp.MustCompile(`\[([^\]]+)\]\([a-z-]+:[^)]*\)`)
)

// squareUnnamed are the webhook event interfaces whose type member's doc
// comment does not name the event type ("The type of event this
// represents."): their type, as Square's webhook reference lists it, by the
// interface name. An interface missing here and naming no type fails the
// import, and so does an entry no interface uses.
var squareUnnamed = map[string]string{
	"CatalogVersionUpdatedEvent":  "catalog.version.updated",
	"DisputeCreatedEvent":         "dispute.created",
	"DisputeEvidenceAddedEvent":   "dispute.evidence.added",
	"DisputeEvidenceCreatedEvent": "dispute.evidence.created",
	"DisputeEvidenceDeletedEvent": "dispute.evidence.deleted",
	"DisputeEvidenceRemovedEvent": "dispute.evidence.removed",
	"DisputeStateChangedEvent":    "dispute.state.changed",
	"DisputeStateUpdatedEvent":    "dispute.state.updated",
	"InventoryCountUpdatedEvent":  "inventory.count.updated",
}

// importSquare reads the webhook event interfaces of the Square Node SDK:
// every api/types/*Event.d.ts interface shaped as a notification (eventId,
// a string type and data of an *EventData type; Event, the generic
// envelope, aside). The event type is the one the type member's doc comment
// names. The SDK has TypeScript types only, so every event gets the
// overlay's envelope.
func importSquare(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	files, err := npmFilesMatching(ctx, f, squareSDK, squareEventFiles)
	if err != nil {
		return nil, err
	}
	var events []listedEvent
	used := map[string]bool{}
	for _, file := range files {
		raw, err := f.Read(ctx, squareSDK, file)
		if err != nil {
			return nil, err
		}
		for _, m := range squareInterfaceRE.FindAllStringSubmatch(string(raw), -1) {
			doc, name, body := m[1], m[2], m[3]
			if name == "Event" || !strings.Contains(body, "\n    eventId?: string | null;") || !squareDataRE.MatchString("\n"+body) {
				continue // not a webhook notification
			}
			event := ""
			if td := squareTypeDocRE.FindStringSubmatch(body); td != nil {
				names := squareTypeNameRE.FindAllStringSubmatch(td[1], -1)
				if len(names) > 1 {
					return nil, fmt.Errorf("%s: %s: the type's doc comment names %d types: %q", squareSDK.Cite(file), name, len(names), td[1])
				}
				if len(names) == 1 {
					event = names[0][1]
				}
			} else {
				return nil, fmt.Errorf("%s: %s: no `type?: string | null` member with a one-line doc comment", squareSDK.Cite(file), name)
			}
			if mapped, ok := squareUnnamed[name]; ok {
				if event != "" {
					return nil, fmt.Errorf("%s: %s names its type %q now: drop it from squareUnnamed", squareSDK.Cite(file), name, event)
				}
				event = mapped
				used[name] = true
			}
			if event == "" {
				return nil, fmt.Errorf("%s: %s: the type's doc comment names no event type; add it to squareUnnamed", squareSDK.Cite(file), name)
			}
			desc, deprecated := squareDescription(doc)
			events = append(events, listedEvent{name: event, desc: desc, deprecated: deprecated})
		}
	}
	for name := range squareUnnamed {
		if !used[name] {
			return nil, fmt.Errorf("%s: no webhook event interface %s (listed in squareUnnamed)", squareSDK.Cite(squareEventFiles), name)
		}
	}
	cite := squareSDK.Cite(squareEventFiles)
	res := newResult("square", cite)
	if err := listEvents(res, ov, "Square", events, 140, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}

// squareDescription is an interface's doc comment as text, links reduced
// to their text, and whether a paragraph of it deprecates the event.
func squareDescription(doc string) (string, bool) {
	var lines []string
	for _, l := range strings.Split(doc, "\n") {
		lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, " *"), " "))
	}
	text := squareLinkRE.ReplaceAllString(strings.Join(lines, "\n"), "$1")
	for _, p := range strings.Split(text, "\n\n") {
		if strings.HasPrefix(strings.TrimSpace(p), "Deprecated") {
			return text, true
		}
	}
	return text, false
}
