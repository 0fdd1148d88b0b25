package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var slackTypes = Source{"npm", "@slack/types", "3.2.0"}

const slackEventsIndex = "dist/events/index.d.ts"

var (
	// slackImportRE is one import of the events index: the types of a
	// module that the SlackEvent union is made of.
	slackImportRE = regexp.MustCompile(`(?m)^import type \{ ([\w, ]+) \} from '\./([a-z-]+)';$`)
	// slackEventRE is an event interface whose first member is its type:
	// export interface AppMentionEvent {\n    type: 'app_mention';
	slackEventRE = regexp.MustCompile(`(?m)^export interface (\w+) \{\n    type: '([a-z][a-z0-9_]*)';$`)
	// slackAliasRE is a union of event interfaces:
	// export type AllMessageEvents = GenericMessageEvent | BotMessageEvent | ...;
	slackAliasRE = regexp.MustCompile(`(?m)^export type (\w+) = (\w+(?: \| \w+)*);$`)
)

// importSlack reads the Events API event types of @slack/types: the type of
// every interface the SlackEvent union of dist/events/index.d.ts is made of
// (each imported there from its module, directly or through a union such as
// AllMessageEvents). Those are the values of the event_callback's
// event.type, which the definition reads first; message subtypes share the
// type message, so they are one event. A type the index imports that the
// import cannot resolve to `type: '...'` fails it. The package has
// TypeScript types only, so every event gets the overlay's envelope.
func importSlack(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	index, err := f.Read(ctx, slackTypes, slackEventsIndex)
	if err != nil {
		return nil, err
	}
	imports := slackImportRE.FindAllStringSubmatch(string(index), -1)
	if len(imports) < 20 {
		return nil, fmt.Errorf("%s: %d imported modules, want at least 20: the file's format changed", slackTypes.Cite(slackEventsIndex), len(imports))
	}
	var events []listedEvent
	seen := map[string]bool{}
	for _, imp := range imports {
		file := "dist/events/" + imp[2] + ".d.ts"
		raw, err := f.Read(ctx, slackTypes, file)
		if err != nil {
			return nil, err
		}
		types := map[string]string{} // interface → its type
		for _, e := range slackEventRE.FindAllStringSubmatch(string(raw), -1) {
			types[e[1]] = e[2]
		}
		aliases := map[string][]string{}
		for _, a := range slackAliasRE.FindAllStringSubmatch(string(raw), -1) {
			aliases[a[1]] = strings.Split(a[2], " | ")
		}
		for _, name := range strings.Split(imp[1], ", ") {
			members := []string{name}
			if list, ok := aliases[name]; ok {
				members = list
			}
			for _, m := range members {
				t, ok := types[m]
				if !ok {
					return nil, fmt.Errorf("%s: %s: no `export interface %s {` whose first member is `type: '...'`", slackTypes.Cite(file), name, m)
				}
				if !seen[t] {
					seen[t] = true
					events = append(events, listedEvent{name: t})
				}
			}
		}
	}
	cite := slackTypes.Cite("dist/events/*.d.ts")
	res := newResult("slack", slackTypes.Cite(slackEventsIndex+" SlackEvent"), cite)
	if err := listEvents(res, ov, "Slack", events, 88, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}
