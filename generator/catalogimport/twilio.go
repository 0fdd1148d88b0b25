package catalogimport

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// twilioCLICore bundles Twilio's OpenAPI documents (twilio-oai is not on npm).
var twilioCLICore = Source{"npm", "@twilio/cli-core", "9.0.0"}

const twilioAPIFile = "src/services/twilio-api/twilio_api_v2010.json"

// importTwilio reads the Message resource's status enum
// (components.schemas.message_enum_status) of Twilio's 2010 API: the values
// of the MessageStatus (and SmsStatus) parameter of messaging status
// callbacks and incoming-message webhooks (received), which is what the
// definition reads as the event type. Twilio publishes no schema of the
// form-encoded callback parameters, so every status gets the overlay's
// envelope.
func importTwilio(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, twilioCLICore, twilioAPIFile)
	if err != nil {
		return nil, err
	}
	cite := twilioCLICore.Cite(twilioAPIFile)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Type string   `json:"type"`
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", cite, err)
	}
	status, ok := doc.Components.Schemas["message_enum_status"]
	if !ok || status.Type != "string" {
		return nil, fmt.Errorf("%s: no string schema components.schemas.message_enum_status", cite)
	}
	var events []listedEvent
	for _, s := range status.Enum {
		events = append(events, listedEvent{name: s, desc: "Status callback: the message's status is " + s + "."})
	}
	res := newResult("twilio", cite+" components.schemas.message_enum_status")
	if err := listEvents(res, ov, "Twilio", events, 12, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
