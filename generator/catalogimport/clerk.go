package catalogimport

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var clerkBackend = Source{"npm", "@clerk/backend", "3.25.0"}

const clerkWebhooksFile = "dist/api/resources/Webhooks.d.ts"

var (
	// clerkWebhookRE is one member of the WebhookEvent union:
	// Webhook<'user.created' | 'user.updated', UserJSON>.
	clerkWebhookRE = regexp.MustCompile(`Webhook<('[a-z][A-Za-z]*\.[a-z][A-Za-z]*'(?: \| '[a-z][A-Za-z]*\.[a-z][A-Za-z]*')*), ([A-Z]\w*)>`)
	// clerkAnyWebhookRE is any use of the Webhook type, to notice one the
	// strict pattern above does not read.
	clerkAnyWebhookRE = regexp.MustCompile(`Webhook<[^>]*>`)
)

// clerkWebhookDecl is the generic declaration, the one use that names no event.
const clerkWebhookDecl = "Webhook<EvtType, Data>"

// importClerk reads the event types of @clerk/backend's typed WebhookEvent
// union (Clerk's events are the `type` of the Svix-delivered body). The
// package has TypeScript types only, so every event gets the overlay's
// envelope.
func importClerk(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, clerkBackend, clerkWebhooksFile)
	if err != nil {
		return nil, err
	}
	text := string(raw)
	cite := clerkBackend.Cite(clerkWebhooksFile)
	var events []listedEvent
	uses := 0
	for _, u := range clerkAnyWebhookRE.FindAllString(text, -1) {
		if u != clerkWebhookDecl {
			uses++
		}
	}
	matches := clerkWebhookRE.FindAllStringSubmatch(text, -1)
	if len(matches) != uses {
		return nil, fmt.Errorf("%s: %d uses of Webhook<...>, %d of them in the expected form Webhook<'a.b' | ..., DataJSON>: the file's format changed", cite, uses, len(matches))
	}
	for _, m := range matches {
		for _, q := range strings.Split(m[1], " | ") {
			events = append(events, listedEvent{name: strings.Trim(q, "'")})
		}
	}
	res := newResult("clerk", cite+" WebhookEvent")
	if err := listEvents(res, ov, "Clerk", events, 40, cite); err != nil {
		return nil, err
	}
	return res.finish(ov.Owned())
}

// The helpers below serve every importer of a name-only source (one that
// lists event names, perhaps with a description, and no payload schemas),
// as envelopeEvent in shopify.go does.

// listedEvent is one event a name-only source lists: desc is what the
// source says of it ("" where nothing; its first sentence is kept), and
// deprecated whether the source marks it so.
type listedEvent struct {
	name, desc string
	deprecated bool
}

// listEvents adds the events of a name-only source to res, each with the
// overlay's envelope as its schema and the overlay's sample (a sample the
// importer records with res.sample wins). It fails loudly, naming the
// source (from), where a changed package would otherwise shrink or garble
// the catalogue silently: fewer events than floor (set from the count the
// pinned version has), a name the definition schema refuses, a name listed
// twice, or two names that map to one file or Go name.
func listEvents(res *Result, ov *catalog.Overlay, title string, events []listedEvent, floor int, from string) error {
	if len(events) < floor {
		return fmt.Errorf("%s: %d events, fewer than the %d expected: the package's format changed, or it lost events; check it before lowering the floor", from, len(events), floor)
	}
	seen := map[string]bool{}
	files, goNames := map[string]string{}, map[string]string{}
	for _, e := range events {
		if e.name == catalog.Wildcard || !catalog.ValidEventName(e.name) {
			return fmt.Errorf("%s: event name %q: want letters, digits and . _ : / - (at most 100)", from, e.name)
		}
		if seen[e.name] {
			return fmt.Errorf("%s: event %q listed twice", from, e.name)
		}
		seen[e.name] = true
		if other, ok := files[catalog.FileName(e.name)]; ok {
			return fmt.Errorf("%s: events %q and %q map to the same file name %q", from, other, e.name, catalog.FileName(e.name))
		}
		if other, ok := goNames[catalog.GoName(e.name)]; ok {
			return fmt.Errorf("%s: events %q and %q map to the same Go name %q", from, other, e.name, catalog.GoName(e.name))
		}
		files[catalog.FileName(e.name)], goNames[catalog.GoName(e.name)] = e.name, e.name
		desc := firstSentence(e.desc)
		if desc == "" {
			desc = "The " + e.name + " event."
		}
		if e.deprecated {
			desc += " (Deprecated.)"
		}
		res.addEvent(e.name, desc)
		if err := envelopeEvent(res, ov, title, e.name, desc); err != nil {
			return err
		}
	}
	return nil
}

// npmFilesMatching lists the files of an npm source whose path matches
// pattern (path.Match syntax), sorted.
func npmFilesMatching(ctx context.Context, f *Fetcher, s Source, pattern string) ([]string, error) {
	files, err := f.npmFiles(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []string
	for name := range files {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no file %s", s, pattern)
	}
	return out, nil
}

var tsStringLiteralRE = regexp.MustCompile(`^(?:'([^'\\]+)'|"([^"\\]+)")$`)

// tsStringUnion reads the string literals of a TypeScript union type
// declared on one line, `type NAME = 'a' | 'b' | ...;` (optionally exported
// or declared), in order. It fails unless the declaration is there exactly
// once and every member is a string literal.
func tsStringUnion(text, typeName string) ([]string, error) {
	re := regexp.MustCompile(`(?m)^(?:export )?(?:declare )?type ` + regexp.QuoteMeta(typeName) + ` = ([^;\n]+);$`)
	m := re.FindAllStringSubmatch(text, -1)
	if len(m) != 1 {
		return nil, fmt.Errorf("want one one-line declaration `type %s = '...' | ...;`, found %d", typeName, len(m))
	}
	var out []string
	for _, member := range strings.Split(m[0][1], " | ") {
		lit := tsStringLiteralRE.FindStringSubmatch(strings.TrimSpace(member))
		if lit == nil {
			return nil, fmt.Errorf("type %s: member %q is not a string literal", typeName, member)
		}
		out = append(out, lit[1]+lit[2])
	}
	return out, nil
}
