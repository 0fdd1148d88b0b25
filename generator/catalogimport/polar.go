package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var polarSDK = Source{"npm", "@polar-sh/sdk", "1.0.1"}

const (
	// The SDK bundles one build per API version; each has its models file
	// (the WebhookEventType union) and its index (the payload interfaces).
	polarModelFiles = "dist/models-*.d.mts"
	polarIndexFiles = "dist/index-*.d.mts"
)

// polarPayloadRE is a webhook payload interface, its doc comment and its type:
// /**\n * Sent when ...\n */\ninterface WebhookCheckoutCreatedPayload {\n  /**\n   * type\n   */\n  type: "checkout.created";
var polarPayloadRE = regexp.MustCompile(`(?m)^/\*\*\n((?: \*.*\n)+?) \*/\ninterface Webhook\w+Payload \{\n  /\*\*\n   \* type\n   \*/\n  type: "([^"]+)";$`)

// importPolar reads the WebhookEventType union of the Polar SDK (the same in
// every API version's build, which the import checks), with each event's
// description from its payload interface's doc comment. The payload types
// are TypeScript only, so every event gets the overlay's envelope.
func importPolar(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	models, err := npmFilesMatching(ctx, f, polarSDK, polarModelFiles)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, file := range models {
		raw, err := f.Read(ctx, polarSDK, file)
		if err != nil {
			return nil, err
		}
		list, err := tsStringUnion(string(raw), "WebhookEventType")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", polarSDK.Cite(file), err)
		}
		if names != nil && !slices.Equal(names, list) {
			return nil, fmt.Errorf("%s: WebhookEventType differs from %s's: choose the API version to import", polarSDK.Cite(file), models[0])
		}
		names = list
	}
	indexes, err := npmFilesMatching(ctx, f, polarSDK, polarIndexFiles)
	if err != nil {
		return nil, err
	}
	descs := map[string]string{}
	for _, file := range indexes {
		raw, err := f.Read(ctx, polarSDK, file)
		if err != nil {
			return nil, err
		}
		for _, m := range polarPayloadRE.FindAllStringSubmatch(string(raw), -1) {
			if _, ok := descs[m[2]]; ok {
				continue
			}
			var lines []string
			for _, l := range strings.Split(strings.TrimSuffix(m[1], "\n"), "\n") {
				lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, " *"), " "))
			}
			descs[m[2]] = strings.Join(lines, "\n")
		}
	}
	var events []listedEvent
	for _, n := range names {
		events = append(events, listedEvent{name: n, desc: descs[n]})
	}
	cite := polarSDK.Cite(polarModelFiles)
	res := newResult("polar", cite+" WebhookEventType", polarSDK.Cite(polarIndexFiles+" Webhook*Payload"))
	if err := listEvents(res, ov, "Polar", events, 40, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
