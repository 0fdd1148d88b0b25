package realpayloads

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// Pinned so that a new upstream example cannot break the build unannounced;
// raise them on purpose and fix what the new payloads reveal.
const (
	githubExamplesVersion = "7.6.1"
	stripeMockVersion     = "v0.203.0"
)

// selection is the events of the generated project, per provider: every
// event that has a real payload (every GitHub event with a published
// example, every Stripe event whose object has a stripe-mock fixture), plus
// each provider's catch-all.
type selection struct {
	provider string
	names    []string
}

// stripeResource is the resource each Stripe event carries as data.object,
// read from the imported schemas: the common.json component its schema
// refers to.
func stripeResource(t *testing.T) map[string]string {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.Provider("stripe")
	out := map[string]string{}
	for _, e := range p.Events {
		if e.Schema == nil || e.Name == catalog.Wildcard {
			continue
		}
		var s struct {
			Properties struct {
				Data struct {
					Properties struct {
						Object struct {
							Ref string `json:"$ref"`
						} `json:"object"`
					} `json:"properties"`
				} `json:"data"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(e.Schema, &s); err != nil {
			t.Fatal(err)
		}
		if r, ok := strings.CutPrefix(s.Properties.Data.Properties.Object.Ref, "common.json#/$defs/"); ok {
			out[e.Name] = r
		}
	}
	if len(out) < 200 {
		t.Fatalf("only %d Stripe events name their object's schema", len(out))
	}
	return out
}

// expansion replaces the field at path (dot-separated, "[]" for every element
// of an array) by the stripe-mock fixture named with, as Stripe does when the
// field is expanded: an expandable field is an id or the whole object.
type expansion struct {
	path, with string
	// alone: only in its own variant, not in the all-expanded one (a deleted
	// customer is another value of the same field).
	alone bool
}

// stripeExpansions lists the expandable fields of each resource that our
// schemas and structs model, nested ones after their parent (they apply only
// in the all-expanded variant, where the parent is an object).
var stripeExpansions = map[string][]expansion{
	"payment_intent": {
		{path: "customer", with: "customer"},
		{path: "customer", with: "deleted_customer", alone: true},
		{path: "payment_method", with: "payment_method"},
		{path: "latest_charge", with: "charge"},
		{path: "invoice", with: "invoice"}, // API versions before 2025-03-31
		{path: "review", with: "review"},
		{path: "on_behalf_of", with: "account"},
		{path: "latest_charge.customer", with: "customer"},
		{path: "latest_charge.payment_intent", with: "payment_intent"},
		{path: "payment_method.customer", with: "customer"},
		{path: "invoice.subscription", with: "subscription"},
	},
	"subscription": {
		{path: "customer", with: "customer"},
		{path: "customer", with: "deleted_customer", alone: true},
		{path: "latest_invoice", with: "invoice"},
		{path: "default_payment_method", with: "payment_method"},
		{path: "pending_setup_intent", with: "setup_intent"},
		{path: "schedule", with: "subscription_schedule"},
		{path: "items.data[].price.product", with: "product"},
		{path: "latest_invoice.customer", with: "customer"},
		{path: "latest_invoice.payment_intent", with: "payment_intent"},
		{path: "default_payment_method.customer", with: "customer"},
	},
	"invoice": {
		{path: "customer", with: "customer"},
		{path: "customer", with: "deleted_customer", alone: true},
		{path: "subscription", with: "subscription"},     // API versions before 2025-03-31
		{path: "payment_intent", with: "payment_intent"}, // idem
		{path: "charge", with: "charge"},                 // idem
		{path: "default_payment_method", with: "payment_method"},
		{path: "parent.subscription_details.subscription", with: "subscription"},
		{path: "lines.data[].subscription", with: "subscription"},
		{path: "payment_intent.latest_charge", with: "charge"},
		{path: "subscription.customer", with: "customer"},
		{path: "charge.customer", with: "customer"},
	},
}

// TestRealPayloads generates a project for our ten events and runs its
// TestCapturedPayloads on every real payload: each must pass its event's
// schema and decode into the generated typed event through the dispatcher.
func TestRealPayloads(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: installs real payloads with npm and the go command, and builds a generated project")
	}
	tmp := t.TempDir()

	// Fetch first: a machine without npm or network skips before the slow builds.
	ghIndexes := installGitHubExamples(t, tmp)
	stripeDir := downloadStripeMock(t, tmp)

	samples := map[string]map[string][][]byte{
		"github": githubSamples(t, ghIndexes),
		"stripe": stripeSamples(t, stripeDir, stripeResource(t)),
	}
	// Stripe renders an event in the account's pinned API version, and
	// fields move between versions: these events are in the shape of
	// 2024-06-20 (an invoice's subscription, charge and payment_intent at
	// its top, as before 2025-03-31), written for this test after Stripe's
	// documented objects of that version.
	old, err := filepath.Glob(filepath.Join("testdata", "stripe-2024-06-20", "*.json"))
	if err != nil || len(old) == 0 {
		t.Fatalf("no older-version Stripe events in testdata: %v", err)
	}
	for _, f := range old {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ev struct {
			Type       string `json:"type"`
			APIVersion string `json:"api_version"`
		}
		if err := json.Unmarshal(b, &ev); err != nil || ev.Type == "" || ev.APIVersion != "2024-06-20" {
			t.Fatalf("%s: want a 2024-06-20 event with a type (%v)", f, err)
		}
		samples["stripe"][ev.Type] = append(samples["stripe"][ev.Type], b)
	}

	// Examples of events the catalogue no longer has (older GitHub
	// Enterprise Server sets) go to the catch-all, as they would in a service.
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	var events []selection
	for _, provider := range []string{"github", "stripe"} {
		sel := selection{provider: provider}
		p, _ := c.Provider(provider)
		for name, payloads := range samples[provider] {
			if _, ok := p.Lookup(name); !ok {
				t.Logf("%s %s is not in the catalogue: its %d payloads go to the catch-all", provider, name, len(payloads))
				samples[provider][catalog.Wildcard] = append(samples[provider][catalog.Wildcard], payloads...)
				delete(samples[provider], name)
				continue
			}
			sel.names = append(sel.names, name)
		}
		slices.Sort(sel.names)
		events = append(events, sel)
	}
	if n := len(events[0].names); n < 55 {
		t.Fatalf("examples for only %d GitHub events", n)
	}
	if n := len(events[1].names); n < 150 {
		t.Fatalf("fixtures for only %d Stripe events", n)
	}

	cli := filepath.Join(tmp, "cwh")
	mustRun(t, "../..", 5*time.Minute, nil, "go", "build", "-o", cli, "./cmd/create-webhook-handler")
	proj := filepath.Join(tmp, "proj")
	args := []string{"init", proj, "--module", "example.com/realpayloads"}
	for _, p := range events {
		args = append(args, "--provider", p.provider+"="+strings.Join(p.names, ",")+",*")
	}
	mustRun(t, tmp, 2*time.Minute, nil, cli, append(args, "--no-input")...)

	// Our file names must be the generator's, or TestCapturedPayloads would
	// look in other folders and check fewer payloads than we wrote.
	for _, p := range events {
		for _, name := range append(p.names, catalog.Wildcard) {
			f := filepath.Join(proj, "testdata", "events", p.provider, fileName(name)+".json")
			if _, err := os.Stat(f); err != nil {
				t.Fatalf("the generated project has no sample %s for %s %q: event file names differ", f, p.provider, name)
			}
		}
	}

	dir := filepath.Join(tmp, "samples")
	written := writeSamples(t, dir, samples)
	for _, p := range events {
		for _, name := range p.names {
			n := len(samples[p.provider][name])
			t.Logf("%s %s: %d payloads", p.provider, name, n)
			if n == 0 {
				t.Errorf("no real payload for %s %q", p.provider, name)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	out, err := capturedPayloads(t, proj, dir)
	if err != nil {
		t.Fatalf("real payloads rejected (%v):\n%s", err, quiet(out))
	}
	m := regexp.MustCompile(`(\d+) captured payloads checked`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("TestCapturedPayloads did not log its count (did it skip?):\n%s", quiet(out))
	}
	if got, _ := strconv.Atoi(m[1]); got != written {
		t.Fatalf("TestCapturedPayloads checked %d payloads, we wrote %d:\n%s", got, written, quiet(out))
	}
	// And delivered as the providers send them, on each store: signed, over
	// HTTP, every one processed by its handler, none dead.
	delivered := regexp.MustCompile(`(\d+) captured payloads delivered signed: (\d+) events stored, (\d+) processed`).FindAllStringSubmatch(out, -1)
	if len(delivered) == 0 {
		t.Fatalf("TestCapturedPayloads did not deliver the payloads:\n%s", quiet(out))
	}
	for _, m := range delivered {
		if m[1] != strconv.Itoa(written) || m[2] != m[3] {
			t.Fatalf("delivered %s of %d payloads, %s events stored, %s processed:\n%s", m[1], written, m[2], m[3], quiet(out))
		}
	}
	t.Logf("%d real payloads accepted by the schemas and the typed events, and processed when delivered signed (%d store(s))", written, len(delivered))

	// A check that cannot fail proves nothing: the same run must reject a
	// real push whose repository is a number, naming the file.
	t.Run("broken payload rejected", func(t *testing.T) {
		var push map[string]json.RawMessage
		if err := json.Unmarshal(samples["github"]["push"][0], &push); err != nil {
			t.Fatal(err)
		}
		push["repository"] = json.RawMessage(`1`)
		body, err := json.Marshal(push)
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(tmp, "broken")
		writeSamples(t, bad, map[string]map[string][][]byte{"github": {"push": {body}}})
		out, err := capturedPayloads(t, proj, bad)
		if err == nil {
			t.Fatalf("a push whose repository is 1 was accepted:\n%s", quiet(out))
		}
		if !strings.Contains(out, filepath.Join("github", "push", "1.json")) || !strings.Contains(out, "repository") {
			t.Fatalf("the failure does not name the file and the field:\n%s", quiet(out))
		}
	})
}

// capturedPayloads runs the generated project's TestCapturedPayloads on dir.
func capturedPayloads(t *testing.T, proj, dir string) (string, error) {
	t.Helper()
	return run(t, proj, 8*time.Minute, []string{"WEBHOOK_SAMPLES_DIR=" + dir},
		"go", "test", "-count=1", "-v", "-timeout", "300s", "-run", "^TestCapturedPayloads$", "./tests/webhooks")
}

// quiet drops the log line that the generated handlers write for every
// event, which would bury the rejections.
func quiet(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, " INFO webhook event ") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// installGitHubExamples installs @octokit/webhooks-examples under tmp and
// returns its index files: api.github.com first, then the GHES sets.
func installGitHubExamples(t *testing.T, tmp string) []string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		unavailable(t, "npm is not on PATH: cannot install @octokit/webhooks-examples")
	}
	prefix := filepath.Join(tmp, "npm")
	// --ignore-scripts: the package is data; nothing of it needs to run.
	out, err := run(t, tmp, 5*time.Minute, nil, npm, "install", "--no-audit", "--no-fund", "--ignore-scripts",
		"--prefix", prefix, "@octokit/webhooks-examples@"+githubExamplesVersion)
	if err != nil {
		unavailable(t, "npm install @octokit/webhooks-examples@%s: %v\n%s", githubExamplesVersion, err, out)
	}
	root := filepath.Join(prefix, "node_modules", "@octokit", "webhooks-examples")
	indexes := []string{filepath.Join(root, "api.github.com", "index.json")}
	ghes, err := filepath.Glob(filepath.Join(root, "ghes-3*", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ghes)
	return append(indexes, ghes...)
}

// downloadStripeMock downloads the stripe-mock module and returns its directory.
func downloadStripeMock(t *testing.T, tmp string) string {
	t.Helper()
	// Run outside this module so its go.mod plays no part.
	out, err := run(t, tmp, 5*time.Minute, nil, "go", "mod", "download", "-json", "github.com/stripe/stripe-mock@"+stripeMockVersion)
	var mod struct{ Dir, Error string }
	if jerr := json.Unmarshal([]byte(out), &mod); err != nil || jerr != nil || mod.Error != "" || mod.Dir == "" {
		unavailable(t, "go mod download github.com/stripe/stripe-mock@%s: %v\n%s", stripeMockVersion, err, out)
	}
	return mod.Dir
}

// unavailable skips loudly where npm or the network is missing, and fails on CI,
// where both must be there and a skip would hide that nothing was checked.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and a real-payload source is unavailable: "+format, args...)
	}
	t.Skipf("SKIPPED (needs npm / network): "+format, args...)
}

// githubSamples reads every example from the index files,
// dropping exact duplicates between sets.
func githubSamples(t *testing.T, indexes []string) map[string][][]byte {
	t.Helper()
	out := map[string][][]byte{}
	seen := map[[32]byte]bool{}
	for _, index := range indexes {
		b, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		var entries []struct {
			Name     string            `json:"name"`
			Examples []json.RawMessage `json:"examples"`
		}
		if err := json.Unmarshal(b, &entries); err != nil {
			t.Fatalf("%s: %v", index, err)
		}
		for _, e := range entries {
			for _, ex := range e.Examples {
				if sum := sha256.Sum256(ex); !seen[sum] {
					seen[sum] = true
					out[e.Name] = append(out[e.Name], ex) // raw, as published
				}
			}
		}
	}
	return out
}

// stripeSamples wraps the stripe-mock fixtures as events of every type whose
// object has one: each fixture as is,
// then once per expandable field with that field expanded, then with all
// expanded at once, from both the stable and the beta fixture files.
func stripeSamples(t *testing.T, dir string, resources map[string]string) map[string][][]byte {
	t.Helper()
	var files []map[string]json.RawMessage
	for _, name := range []string{"fixtures3.json", "fixtures3.beta.json"} {
		b, err := os.ReadFile(filepath.Join(dir, "embedded", "openapi", name))
		if os.IsNotExist(err) && name != "fixtures3.json" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Resources map[string]json.RawMessage `json:"resources"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files = append(files, f.Resources)
	}

	// decode gives a fresh copy, keeping numbers as written.
	decode := func(res map[string]json.RawMessage, name string) any {
		raw, ok := res[name]
		if !ok {
			t.Fatalf("stripe-mock %s has no fixture %q", stripeMockVersion, name)
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		return v
	}

	out := map[string][][]byte{}
	seen := map[[32]byte]bool{}
	used := map[string]bool{}
	n := 0
	add := func(typ string, obj any) {
		n++
		ev := stripeEvent{ID: fmt.Sprintf("evt_test_%d", n), Object: "event", APIVersion: "2024-06-20",
			Created: 1700000000, PendingWebhooks: 1, Type: typ}
		ev.Data.Object = obj
		b, err := json.MarshalIndent(ev, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		// Compare without the id, which differs on every event.
		key := sha256.Sum256(bytes.Replace(b, []byte(ev.ID), nil, 1))
		if !seen[key] {
			seen[key] = true
			out[typ] = append(out[typ], b)
		}
	}
	for _, typ := range slices.Sorted(maps.Keys(resources)) {
		resource := resources[typ]
		{
			for _, res := range files {
				if _, ok := res[resource]; !ok {
					continue // no fixture for this object (in this file)
				}
				add(typ, decode(res, resource))
				all := decode(res, resource)
				for _, x := range stripeExpansions[resource] {
					one := decode(res, resource)
					if expand(one, x.path, func() any { return decode(res, x.with) }) {
						used[resource+" "+x.path+" "+x.with] = true
						add(typ, one)
					}
					if !x.alone && expand(all, x.path, func() any { return decode(res, x.with) }) {
						used[resource+" "+x.path+" "+x.with] = true
					}
				}
				add(typ, all)
			}
		}
	}
	// A path that matches nothing is a typo or a fixture change: say so.
	for resource, xs := range stripeExpansions {
		for _, x := range xs {
			if !used[resource+" "+x.path+" "+x.with] {
				t.Errorf("expansion %s.%s → %s matched no stripe-mock fixture", resource, x.path, x.with)
			}
		}
	}
	return out
}

// stripeEvent is a Stripe event envelope, fields in Stripe's order.
type stripeEvent struct {
	ID              string `json:"id"`
	Object          string `json:"object"`
	APIVersion      string `json:"api_version"`
	Created         int64  `json:"created"`
	Livemode        bool   `json:"livemode"`
	PendingWebhooks int    `json:"pending_webhooks"`
	Request         struct {
		ID             *string `json:"id"`
		IdempotencyKey *string `json:"idempotency_key"`
	} `json:"request"`
	Type string `json:"type"`
	Data struct {
		Object any `json:"object"`
	} `json:"data"`
}

// expand sets the field at path in v to a new value from with, wherever its
// parent object exists, and reports whether it set any.
func expand(v any, path string, with func() any) bool {
	key, rest, nested := strings.Cut(path, ".")
	each := strings.HasSuffix(key, "[]")
	key = strings.TrimSuffix(key, "[]")
	obj, ok := v.(map[string]any)
	if !ok {
		return false
	}
	if !nested && !each {
		obj[key] = with()
		return true
	}
	if !each {
		return expand(obj[key], rest, with)
	}
	list, _ := obj[key].([]any)
	set := false
	for _, el := range list {
		if expand(el, rest, with) {
			set = true
		}
	}
	return set
}

// fileName is the generator's event file name: runs of non-alphanumerics as
// "_", lower case (payment_intent.succeeded → payment_intent_succeeded).
func fileName(event string) string {
	if event == catalog.Wildcard {
		return "any"
	}
	return strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(event, "_"))
}

// writeSamples writes dir/<provider>/<event file name>/<n>.json and returns
// how many files it wrote.
func writeSamples(t *testing.T, dir string, samples map[string]map[string][][]byte) int {
	t.Helper()
	n := 0
	for provider, byEvent := range samples {
		for event, payloads := range byEvent {
			d := filepath.Join(dir, provider, fileName(event))
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			for i, b := range payloads {
				if err := os.WriteFile(filepath.Join(d, strconv.Itoa(i+1)+".json"), b, 0o644); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
	}
	return n
}

// run runs a command in dir with the test's environment plus env, bounded by
// timeout and by the test's own deadline, and returns its combined output.
func run(t *testing.T, dir string, timeout time.Duration, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 10 * time.Second // a grandchild holding the pipe must not hang us
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", err, ctx.Err())
	}
	return string(out), err
}

func mustRun(t *testing.T, dir string, timeout time.Duration, env []string, name string, args ...string) string {
	t.Helper()
	out, err := run(t, dir, timeout, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}
