package catalogimport

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

var gitlabClient = Source{"go", "gitlab.com/gitlab-org/api/client-go/v2", "v2.64.0"}

const (
	gitlabEventsFile   = "event_parsing.go"
	gitlabFixturesDir  = "testdata/webhooks/"
	gitlabFixturesCite = gitlabFixturesDir + "*.json"
)

var (
	// gitlabEventTypesRE is the const block of the X-Gitlab-Event values.
	gitlabEventTypesRE = regexp.MustCompile(`(?m)^// List of available event types\.\nconst \(\n((?:.*\n)*?)\)$`)
	// gitlabEventTypeRE is one of them: EventTypePush EventType = "Push Hook"
	gitlabEventTypeRE = regexp.MustCompile(`^\t[A-Z]\w*\s+EventType = "([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)* Hook)"$`)
)

// gitlabFixtures are the client's real webhook payloads (testdata/webhooks)
// used as samples: the X-Gitlab-Event each arrives with, by the payload's
// object_kind (member, project and subgroup events have none: their
// event_name). The client's tests parse each file as that event; where
// several files share a kind (emoji_*, note_*, milestone_*), one is enough.
// A file that is missing or whose kind differs fails the import. Events
// without one here (Confidential Issue Hook, Confidential Note Hook,
// System Hook) get the overlay's sample.
var gitlabFixtures = []struct{ event, file, kind string }{
	{"Build Hook", "build.json", "build"},
	{"Deployment Hook", "deployment.json", "deployment"},
	{"Emoji Hook", "emoji_issue.json", "emoji"},
	{"Feature Flag Hook", "feature_flag.json", "feature_flag"},
	{"Issue Hook", "issue.json", "issue"},
	{"Job Hook", "job.json", "build"},
	{"Member Hook", "member.json", "user_add_to_group"},
	{"Merge Request Hook", "merge_request.json", "merge_request"},
	{"Milestone Hook", "milestone_project.json", "milestone"},
	{"Note Hook", "note_issue.json", "note"},
	{"Pipeline Hook", "pipeline.json", "pipeline"},
	{"Project Hook", "project.json", "project_create"},
	{"Push Hook", "push.json", "push"},
	{"Release Hook", "release.json", "release"},
	{"Resource Access Token Hook", "resource_access_token_project.json", "access_token"},
	{"Service Hook", "service_merge_request.json", "merge_request"},
	{"Subgroup Hook", "subgroup.json", "subgroup_create"},
	{"Tag Push Hook", "tag_push.json", "tag_push"},
	{"Vulnerability Hook", "vulnerability.json", "vulnerability"},
	{"Wiki Page Hook", "wiki_page.json", "wiki_page"},
}

// importGitLab reads the X-Gitlab-Event values of GitLab's Go client
// (event_parsing.go), which is where the definition reads the event type,
// and takes the client's recorded payloads as samples. GitLab publishes no
// payload schemas, so every event gets the overlay's envelope.
func importGitLab(ctx context.Context, f *Fetcher, ov *catalog.Overlay) (*Result, error) {
	raw, err := f.Read(ctx, gitlabClient, gitlabEventsFile)
	if err != nil {
		return nil, err
	}
	cite := gitlabClient.Cite(gitlabEventsFile)
	m := gitlabEventTypesRE.FindStringSubmatch(string(raw))
	if m == nil {
		return nil, fmt.Errorf("%s: no const block \"List of available event types\"", cite)
	}
	var events []listedEvent
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(m[1], "\n"), "\n") {
		mm := gitlabEventTypeRE.FindStringSubmatch(line)
		if mm == nil {
			return nil, fmt.Errorf("%s: event types: unexpected line %q", cite, line)
		}
		events = append(events, listedEvent{name: mm[1]})
		listed[mm[1]] = true
	}
	res := newResult("gitlab", cite+" EventType constants", gitlabClient.Cite(gitlabFixturesCite))
	if err := listEvents(res, ov, "GitLab", events, 20, cite); err != nil {
		return nil, err
	}
	for _, fx := range gitlabFixtures {
		if !listed[fx.event] {
			return nil, fmt.Errorf("%s: no event type %q (gitlabFixtures names it)", cite, fx.event)
		}
		file := gitlabFixturesDir + fx.file
		b, err := f.Read(ctx, gitlabClient, file)
		if err != nil {
			return nil, err
		}
		v, err := decode(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", gitlabClient.Cite(file), err)
		}
		payload, _ := v.(map[string]any)
		kind, _ := payload["object_kind"].(string)
		if kind == "" {
			kind, _ = payload["event_name"].(string)
		}
		if kind != fx.kind {
			return nil, fmt.Errorf("%s: object_kind (or event_name) %q, want %q for %s", gitlabClient.Cite(file), kind, fx.kind, fx.event)
		}
		res.sample(fx.event, payload)
	}
	return res.finish(ov.Owned())
}
