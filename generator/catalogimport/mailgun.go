package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// mailgunGo is Mailgun's Go SDK (v5 is not served by the module proxy here;
// the npm mailgun.js lists webhook ids such as permanent_fail, not the
// event names the payload's event-data.event carries).
var mailgunGo = Source{"go", "github.com/mailgun/mailgun-go/v4", "v4.23.0"}

const mailgunEnumsFile = "events/enums.go"

var (
	// mailgunEventsRE is the const block of event names, the first one of
	// the file: const (\n\tEventAccepted = "accepted"\n...)
	mailgunEventsRE = regexp.MustCompile(`(?m)^const \(\n((?:\tEvent\w+\s+= "[^"]*"\n)+)\)$`)
	// mailgunEventRE is one of its constants.
	mailgunEventRE = regexp.MustCompile(`^\tEvent[A-Z]\w*\s+= "([a-z][a-z_]*)"$`)
)

// importMailgun reads the event name constants of the Mailgun Go SDK: the
// values of the event-data.event field the definition reads. The SDK's
// event structs are Go only, so every event gets the overlay's envelope.
func importMailgun(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, mailgunGo, mailgunEnumsFile)
	if err != nil {
		return nil, err
	}
	cite := mailgunGo.Cite(mailgunEnumsFile)
	text := string(raw)
	m := mailgunEventsRE.FindStringSubmatch(text)
	if m == nil {
		return nil, fmt.Errorf("%s: no const block of Event... = \"name\" constants", cite)
	}
	if n := strings.Count(text, "\tEvent"); n != strings.Count(m[1], "\n") {
		return nil, fmt.Errorf("%s: %d Event... constants, %d of them in the block read: the file's format changed", cite, n, strings.Count(m[1], "\n"))
	}
	var events []listedEvent
	for _, line := range strings.Split(strings.TrimSuffix(m[1], "\n"), "\n") {
		mm := mailgunEventRE.FindStringSubmatch(line)
		if mm == nil {
			return nil, fmt.Errorf("%s: unexpected line %q", cite, line)
		}
		events = append(events, listedEvent{name: mm[1]})
	}
	res := newResult("mailgun", cite+" Event* constants")
	if err := listEvents(res, ov, "Mailgun", events, 12, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
