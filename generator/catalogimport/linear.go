package catalogimport

import (
	"context"
	"fmt"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var linearSDK = Source{"npm", "@linear/sdk", "98.0.0"}

const linearTypesFile = "dist/index-D2pH4Pk9.d.mts"

// importLinear reads the LinearWebhookEventType union of the Linear SDK: the
// entity types ("Issue", "Comment", ...) Linear sends in the Linear-Event
// header and the body's type, which is what the definition reads. The
// action (create, update, remove) is in the body, so an entity type is one
// event whatever the action, as the catalogue has always had it. The
// payload types are TypeScript only, so every event gets the overlay's
// envelope.
func importLinear(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, linearSDK, linearTypesFile)
	if err != nil {
		return nil, err
	}
	cite := linearSDK.Cite(linearTypesFile)
	names, err := tsStringUnion(string(raw), "LinearWebhookEventType")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cite, err)
	}
	var events []listedEvent
	for _, n := range names {
		events = append(events, listedEvent{name: n})
	}
	res := newResult("linear", cite+" LinearWebhookEventType")
	if err := listEvents(res, ov, "Linear", events, 18, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
