package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var paddleNodeSDK = Source{"npm", "@paddle/paddle-node-sdk", "3.10.0"}

const paddleEventNameFile = "dist/esm/notifications/helpers/types.js"

// paddleEventNameRE is one member of the compiled EventName enum:
// EventName["AddressCreated"] = "address.created";
var paddleEventNameRE = regexp.MustCompile(`(?m)^    EventName\["[A-Z]\w*"\] = "([a-z][a-z_]*\.[a-z][a-z_]*)";$`)

// importPaddle reads the EventName enum of the Paddle Node SDK: the
// event_type values of Paddle Billing notifications. The SDK's payload types
// are TypeScript only, so every event gets the overlay's envelope.
func importPaddle(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, paddleNodeSDK, paddleEventNameFile)
	if err != nil {
		return nil, err
	}
	cite := paddleNodeSDK.Cite(paddleEventNameFile)
	text := string(raw)
	matches := paddleEventNameRE.FindAllStringSubmatch(text, -1)
	if n := strings.Count(text, `EventName["`); n != len(matches) {
		return nil, fmt.Errorf("%s: %d EventName members, %d of them in the expected form EventName[\"Name\"] = \"a.b\";: the file's format changed", cite, n, len(matches))
	}
	var events []listedEvent
	for _, m := range matches {
		events = append(events, listedEvent{name: m[1]})
	}
	res := newResult("paddle", cite+" EventName")
	if err := listEvents(res, ov, "Paddle", events, 50, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
