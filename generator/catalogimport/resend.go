package catalogimport

import (
	"context"
	"fmt"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var resendSDK = Source{"npm", "resend", "6.38.0"}

const resendTypesFile = "dist/index.d.mts"

// importResend reads the WebhookEvent union of the Resend Node SDK: the
// type values of Resend's webhook bodies. The payload types are TypeScript
// only, so every event gets the overlay's envelope.
func importResend(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, resendSDK, resendTypesFile)
	if err != nil {
		return nil, err
	}
	cite := resendSDK.Cite(resendTypesFile)
	names, err := tsStringUnion(string(raw), "WebhookEvent")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cite, err)
	}
	var events []listedEvent
	for _, n := range names {
		events = append(events, listedEvent{name: n})
	}
	res := newResult("resend", cite+" WebhookEvent")
	if err := listEvents(res, ov, "Resend", events, 35, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
