package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var vercelSDK = Source{"npm", "@vercel/sdk", "1.28.35"}

const vercelWebhookFile = "esm/models/createwebhookop.d.ts"

var (
	// vercelEventsRE is the CreateWebhookEvents constant: the event types a
	// webhook can subscribe to.
	vercelEventsRE = regexp.MustCompile(`(?m)^export declare const CreateWebhookEvents: \{\n((?:.*\n)*?)\};$`)
	// vercelMemberRE is one of its members: readonly DeploymentCreated: "deployment.created";
	vercelMemberRE = regexp.MustCompile(`^    readonly ([A-Z]\w*): "([a-z0-9][a-z0-9.-]*)";$`)
)

// importVercel reads the event types of the Vercel SDK's CreateWebhookEvents:
// the type values of Vercel's webhook bodies. Vercel publishes no payload
// schemas, so every event gets the overlay's envelope.
//
// The list keeps legacy hyphenated names beside the dotted ones
// ("deployment-ready" and "deployment.ready", members named ...Hyphen).
// Where a legacy name maps to the same file and Go name as a dotted one,
// only the dotted name is kept (the catalogue cannot hold both, and Vercel
// documents the dotted one); a legacy name without a dotted twin stays.
func importVercel(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, vercelSDK, vercelWebhookFile)
	if err != nil {
		return nil, err
	}
	cite := vercelSDK.Cite(vercelWebhookFile)
	m := vercelEventsRE.FindStringSubmatch(string(raw))
	if m == nil {
		return nil, fmt.Errorf("%s: no const CreateWebhookEvents", cite)
	}
	var names []string
	dotted := map[string]bool{} // file names of the dotted names
	for _, line := range strings.Split(strings.TrimSuffix(m[1], "\n"), "\n") {
		mm := vercelMemberRE.FindStringSubmatch(line)
		if mm == nil {
			return nil, fmt.Errorf("%s: CreateWebhookEvents: unexpected line %q", cite, line)
		}
		names = append(names, mm[2])
		if strings.Contains(mm[2], ".") {
			dotted[catalog.FileName(mm[2])] = true
		}
	}
	var events []listedEvent
	for _, n := range names {
		if !strings.Contains(n, ".") && dotted[catalog.FileName(n)] {
			continue // the legacy spelling of a dotted name
		}
		events = append(events, listedEvent{name: n})
	}
	res := newResult("vercel", cite+" CreateWebhookEvents")
	if err := listEvents(res, ov, "Vercel", events, 100, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
