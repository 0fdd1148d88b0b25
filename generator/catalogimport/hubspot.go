package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var hubspotClient = Source{"npm", "@hubspot/api-client", "14.0.1"}

const hubspotSubscriptionFile = "lib/codegen/webhooks/models/SubscriptionCreateRequest.d.ts"

var (
	// hubspotEnumRE is the eventType enum of a subscription request.
	hubspotEnumRE = regexp.MustCompile(`(?m)^export declare enum SubscriptionCreateRequestEventTypeEnum \{\n((?:.*\n)*?)\}$`)
	// hubspotMemberRE is one of its members: ContactCreation = "contact.creation",
	hubspotMemberRE = regexp.MustCompile(`^    [A-Z]\w* = "([a-z][a-z_]*\.[a-z][A-Za-z]*)",?$`)
)

// importHubSpot reads the eventType enum of the Webhooks API's subscription
// request in the HubSpot Node client: the subscriptionType values HubSpot
// puts in each item of a delivery. HubSpot publishes no payload schemas, so
// every event gets the overlay's envelope (one item; the sample is a
// one-item batch).
func importHubSpot(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, hubspotClient, hubspotSubscriptionFile)
	if err != nil {
		return nil, err
	}
	cite := hubspotClient.Cite(hubspotSubscriptionFile)
	m := hubspotEnumRE.FindStringSubmatch(string(raw))
	if m == nil {
		return nil, fmt.Errorf("%s: no enum SubscriptionCreateRequestEventTypeEnum", cite)
	}
	var events []listedEvent
	for _, line := range strings.Split(strings.TrimSuffix(m[1], "\n"), "\n") {
		mm := hubspotMemberRE.FindStringSubmatch(line)
		if mm == nil {
			return nil, fmt.Errorf("%s: SubscriptionCreateRequestEventTypeEnum: unexpected line %q", cite, line)
		}
		events = append(events, listedEvent{name: mm[1]})
	}
	res := newResult("hubspot", cite+" SubscriptionCreateRequestEventTypeEnum")
	if err := listEvents(res, ov, "HubSpot", events, 45, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
