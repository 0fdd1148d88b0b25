package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// discordAPITypes is the discordjs community's typing of Discord's API
// (Discord's own OpenAPI document is on GitHub only, not in a package).
var discordAPITypes = Source{"npm", "discord-api-types", "0.38.57"}

const discordWebhookFile = "payloads/v10/webhook.d.ts"

var (
	// discordEnumRE is the ApplicationWebhookEventType enum.
	discordEnumRE = regexp.MustCompile(`(?m)^export declare enum ApplicationWebhookEventType \{\n((?:.*\n)*?)\}$`)
	// discordMemberRE is one member with its one-line doc comment.
	discordMemberRE = regexp.MustCompile(`    /\*\*\n     \* ([^\n]+)\n     \*/\n    [A-Z]\w* = "([A-Z][A-Z_]*)",?\n`)
)

// importDiscord reads the ApplicationWebhookEventType enum of
// discord-api-types: the event.type values of Discord's webhook events
// (the body's type is 1 for an event, 0 for the PING the service answers
// itself). The payload types are TypeScript only, so every event gets the
// overlay's envelope.
func importDiscord(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, discordAPITypes, discordWebhookFile)
	if err != nil {
		return nil, err
	}
	cite := discordAPITypes.Cite(discordWebhookFile)
	m := discordEnumRE.FindStringSubmatch(string(raw))
	if m == nil {
		return nil, fmt.Errorf("%s: no enum ApplicationWebhookEventType", cite)
	}
	members := discordMemberRE.FindAllStringSubmatch(m[1], -1)
	if n := strings.Count(m[1], " = "); n != len(members) {
		return nil, fmt.Errorf("%s: ApplicationWebhookEventType has %d members, %d of them in the expected form (a one-line doc comment, then Name = \"VALUE\"): the file's format changed", cite, n, len(members))
	}
	var events []listedEvent
	for _, mm := range members {
		desc := strings.TrimSpace(mm[1])
		if desc != "" && !strings.HasSuffix(desc, ".") {
			desc += "."
		}
		events = append(events, listedEvent{name: mm[2], desc: desc})
	}
	res := newResult("discord", cite+" ApplicationWebhookEventType")
	if err := listEvents(res, ov, "Discord", events, 6, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
