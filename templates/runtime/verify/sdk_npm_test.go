package verify

// Conformance through the providers' own npm SDKs, installed at test time:
//
//   - Square: npm square (WebhooksHelper.verifySignature, and the legacy
//     WebhooksHelper.isValidWebhookEventSignature it still ships), both
//     directions, plus the SDK's own test vectors.
//   - Trello publishes no SDK: its documented algorithm is run with Node's
//     crypto, an implementation independent of ours (byDerived).
//   - GitHub, besides go-github: npm @octokit/webhooks-methods sign/verify.
//   - HubSpot (sdk_npm_hubspot_test.go) and Linear, Sanity, Mux, Razorpay,
//     Discord, SendGrid, Twilio, Standard Webhooks and Box
//     (sdk_npm_more_test.go).
//
// TestNPMConformance npm-installs every pinned package at once into a
// temporary directory and runs testdata/npm/conformance.mjs there, cases as
// JSON on stdin, results as JSON on stdout; each provider is a subtest. -short
// skips it. Without node and npm (or the registry) it skips loudly, and fails
// under CI=true.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The pinned npm packages (npm view <package> version when they were pinned).
const (
	npmSquareVersion      = "46.0.0"
	npmOctokitVersion     = "6.0.0"
	npmHubSpotVersion     = "14.0.1"
	npmLinearVersion      = "98.0.0"
	npmSanityVersion      = "4.0.4"
	npmMuxVersion         = "15.3.0"
	npmRazorpayVersion    = "2.9.8"
	npmDiscordVersion     = "4.4.0"
	npmSendGridVersion    = "8.0.0"
	npmTwilioVersion      = "6.3.1"
	npmStdWebhooksVersion = "1.1.1"
	npmBoxVersion         = "10.12.0"
)

// npmPinned is every package the driver loads, by name.
var npmPinned = map[string]string{
	"square":                    npmSquareVersion,
	"@octokit/webhooks-methods": npmOctokitVersion,
	"@hubspot/api-client":       npmHubSpotVersion,
	"@linear/sdk":               npmLinearVersion,
	"@sanity/webhook":           npmSanityVersion,
	"@mux/mux-node":             npmMuxVersion,
	"razorpay":                  npmRazorpayVersion,
	"discord-interactions":      npmDiscordVersion,
	"@sendgrid/eventwebhook":    npmSendGridVersion,
	"twilio":                    npmTwilioVersion,
	"standardwebhooks":          npmStdWebhooksVersion,
	"box-node-sdk":              npmBoxVersion,
}

// npmPackages is npmPinned as npm install arguments, in a stable order.
func npmPackages() []string {
	var out []string
	for name, v := range npmPinned {
		out = append(out, name+"@"+v)
	}
	sort.Strings(out)
	return out
}

// npmSource names a pinned package in a proven() source.
func npmSource(pkg, what string) string {
	return "npm " + pkg + "@" + npmPinned[pkg] + " " + what
}

// npmUnavailable skips loudly where node or npm (or the registry) is
// missing, and fails on CI, where the check must run
// (generator/realpayloads's policy).
func npmUnavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and npm is unavailable: "+format, args...)
	}
	t.Skipf("SKIPPED (needs npm): "+format, args...)
}

// npmCase is one call into an SDK; which fields an op reads is documented
// in conformance.mjs.
type npmCase struct {
	ID        string            `json:"id"`
	Op        string            `json:"op"`
	Body      []byte            `json:"body"` // base64 in JSON
	URL       string            `json:"url,omitempty"`
	Key       string            `json:"key,omitempty"`
	Signature string            `json:"signature,omitempty"`
	Encoding  string            `json:"encoding,omitempty"`
	Method    string            `json:"method,omitempty"`
	Timestamp string            `json:"timestamp,omitempty"`
	MsgID     string            `json:"msgId,omitempty"`
	Option    string            `json:"option,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
}

type npmResult struct {
	ID        string `json:"id"`
	OK        bool   `json:"ok"`
	Refusal   string `json:"refusal"` // a verifier that refuses by throwing: its message
	Signature string `json:"signature"`
	Key       string `json:"key"` // a public key the driver made, for its signature
	Error     string `json:"error"`
}

// npmDriver is an installed copy of the driver script with its packages.
type npmDriver struct {
	node, dir string
}

func newNPMDriver(t *testing.T) npmDriver {
	t.Helper()
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: npm-installs the providers' SDKs")
	}
	pkgs := npmPackages()
	node, err := exec.LookPath("node")
	if err != nil {
		npmUnavailable(t, "node is not on PATH: cannot run the npm SDK conformance checks")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		npmUnavailable(t, "npm is not on PATH: cannot install %s", strings.Join(pkgs, " "))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private":true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// One install for every package; --ignore-scripts: none needs a native
	// build or an install script.
	args := append([]string{"install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev",
		"--no-package-lock", "--loglevel=error", "--prefix", dir}, pkgs...)
	cmd := exec.CommandContext(ctx, npm, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		npmUnavailable(t, "npm install %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}
	t.Logf("npm install %s: %s", strings.Join(pkgs, " "), time.Since(start).Round(time.Millisecond))
	script, err := os.ReadFile(filepath.Join("testdata", "npm", "conformance.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "conformance.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	return npmDriver{node: node, dir: dir}
}

// run sends the cases to the script and returns its results by case id,
// checking that the installed packages are the pinned ones.
func (d npmDriver) run(t *testing.T, cases []npmCase) map[string]npmResult {
	t.Helper()
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.node, filepath.Join(d.dir, "conformance.mjs"))
	cmd.Dir = d.dir
	names := make([]string, 0, len(npmPinned))
	for name := range npmPinned {
		names = append(names, name)
	}
	cmd.Env = append(os.Environ(), "PACKAGES="+strings.Join(names, " "))
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node conformance.mjs: %v\n%s", err, stderr.String())
	}
	var out struct {
		Node     string            `json:"node"`
		Versions map[string]string `json:"versions"`
		Results  []npmResult       `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node conformance.mjs output: %v\n%s", err, stdout.String())
	}
	t.Logf("node %s, %d cases in %s", out.Node, len(cases), time.Since(start).Round(time.Millisecond))
	for pkg, want := range npmPinned {
		if got := out.Versions[pkg]; got != want {
			t.Fatalf("installed %s is %q, pinned %q", pkg, got, want)
		}
	}
	res := make(map[string]npmResult, len(out.Results))
	for _, r := range out.Results {
		res[r.ID] = r
	}
	if len(res) != len(cases) {
		t.Fatalf("%d results for %d cases", len(res), len(cases))
	}
	return res
}

// expect checks one result: the SDK's verdict, and that it did not throw.
func expectNPM(t *testing.T, res map[string]npmResult, id string, ok bool) npmResult {
	t.Helper()
	r, found := res[id]
	if !found {
		t.Fatalf("no result for %s", id)
	}
	if r.Error != "" {
		t.Errorf("%s: the SDK threw: %s", id, r.Error)
	} else if r.OK != ok {
		t.Errorf("%s: SDK ok = %v (%s), want %v", id, r.OK, r.Refusal, ok)
	}
	return r
}

func squareScheme() URLHMAC {
	return URLHMAC{Header: "X-Square-Hmacsha256-Signature", Algorithm: SHA256, Encoding: Base64, SignedPayload: "{url}{body}"}
}

func trelloScheme() URLHMAC {
	return URLHMAC{Header: "X-Trello-Webhook", Algorithm: SHA1, Encoding: Base64, SignedPayload: "{body}{url}", Latin1: true}
}

// npmBodies are UTF-8 texts: the SDKs take the body as a JS string.
func npmBodies(t *testing.T, name string) [][]byte {
	t.Helper()
	sample, err := os.ReadFile(filepath.Join("..", "..", "..", "schemas", "samples", name))
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{
		sample, // pretty-printed, with a final newline: signed byte for byte
		[]byte(`{"merchant_id":"6SSW7HV8K2ST5","type":"payment.created","event_id":"13b867cf-db3d-4b1c-90b6-2f32a9d78124"}`),
		[]byte(`{"note":"Zoë 🚀 – naïve café, 100 €"}`),
		[]byte(`{"html":"<b>&amp;</b>","escaped":"\u003cb\u003e","slash":"a\/b"}`),
		bytes.Repeat([]byte(`{"k":"0123456789abcdef"},`), 2730), // ~64 KiB
	}
}

var npmURLs = []string{
	"https://hooks.example.com/webhooks/square",
	"https://hooks.example.com:8443/prefix/webhooks/square?tenant=a%20b&x=1",
}

func TestNPMConformance(t *testing.T) {
	start := time.Now()
	d := newNPMDriver(t)
	t.Run("Square", func(t *testing.T) { testSquareNPM(t, d) })
	t.Run("Trello", func(t *testing.T) { testTrelloNode(t, d) })
	t.Run("GitHubOctokit", func(t *testing.T) { testGitHubOctokit(t, d) })
	t.Run("HubSpot", func(t *testing.T) { testHubSpotNPM(t, d) })
	t.Run("Linear", func(t *testing.T) { testLinearNPM(t, d) })
	t.Run("Sanity", func(t *testing.T) { testSanityNPM(t, d) })
	t.Run("Mux", func(t *testing.T) { testMuxNPM(t, d) })
	t.Run("Razorpay", func(t *testing.T) { testRazorpayNPM(t, d) })
	t.Run("Discord", func(t *testing.T) { testDiscordNPM(t, d) })
	t.Run("SendGrid", func(t *testing.T) { testSendGridNPM(t, d) })
	t.Run("Twilio", func(t *testing.T) { testTwilioNPM(t, d) })
	t.Run("StandardWebhooks", func(t *testing.T) { testStandardWebhooksNPM(t, d) })
	t.Run("Box", func(t *testing.T) { testBoxNPM(t, d) })
	t.Logf("npm conformance, install included: %s", time.Since(start).Round(time.Millisecond))
}

// squareSDKVectors are square-nodejs-sdk's own fixtures
// (tests/integration/webhooks.test.ts): what WebhooksHelper.verifySignature
// accepts, and the changes it must refuse.
var squareSDKVectors = []struct {
	name, body, sig, key, url string
}{
	{"sdk vector", `{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}`,
		"GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=", "Ibxx_5AKakO-3qeNVR61Dw", "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9"},
	{"sdk vector, unescaped characters", `{"data":{"type":"webhooks","id":"fake_id"}}`,
		"W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=", "signature-key", "https://webhook.site/webhooks"},
	{"sdk vector, escaped characters", `{"data":{"type":"webhooks","id":">id<"}}`,
		"Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=", "signature-key", "https://webhook.site/webhooks"},
}

func testSquareNPM(t *testing.T, d npmDriver) {
	s := squareScheme()
	checkDefinition(t, "square", s)
	const key = "Ibxx_5AKakO-3qeNVR61Dw"
	bodies := npmBodies(t, filepath.Join("square", "payment_created.json"))

	var cases []npmCase
	ours := map[string]string{}
	for i, body := range bodies {
		for j, u := range npmURLs {
			id := fmt.Sprintf("%d/%d", i, j)
			h := http.Header{}
			s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, body, []byte(key), testNow)
			sig := h.Get(s.Header)
			ours[id] = sig
			changed := append(append([]byte{}, body...), ' ')
			cases = append(cases,
				// (a) our signature: the SDK accepts it...
				npmCase{ID: id + " ours", Op: "square.verify", Body: body, URL: u, Key: key, Signature: sig},
				npmCase{ID: id + " ours legacy", Op: "square.legacyVerify", Body: body, URL: u, Key: key, Signature: sig},
				// ...and refuses it for a changed body, another URL or key:
				// the SDK's check can fail.
				npmCase{ID: id + " changed body", Op: "square.verify", Body: changed, URL: u, Key: key, Signature: sig},
				npmCase{ID: id + " other URL", Op: "square.verify", Body: body, URL: u + "/", Key: key, Signature: sig},
				npmCase{ID: id + " http", Op: "square.verify", Body: body, URL: "http" + strings.TrimPrefix(u, "https"), Key: key, Signature: sig},
				npmCase{ID: id + " wrong key", Op: "square.verify", Body: body, URL: u, Key: key + "x", Signature: sig},
				npmCase{ID: id + " wrong key legacy", Op: "square.legacyVerify", Body: body, URL: u, Key: key + "x", Signature: sig},
				// (b) the SDK's own HMAC of {url}{body}.
				npmCase{ID: id + " sdk sign", Op: "square.sign", Body: body, URL: u, Key: key},
			)
		}
	}
	for _, v := range squareSDKVectors {
		cases = append(cases,
			npmCase{ID: v.name, Op: "square.verify", Body: []byte(v.body), URL: v.url, Key: v.key, Signature: v.sig},
			npmCase{ID: v.name + " legacy", Op: "square.legacyVerify", Body: []byte(v.body), URL: v.url, Key: v.key, Signature: v.sig})
	}
	res := d.run(t, cases)

	for i, body := range bodies {
		for j, u := range npmURLs {
			id := fmt.Sprintf("%d/%d", i, j)
			r := Request{Method: http.MethodPost, URL: u}
			expectNPM(t, res, id+" ours", true)
			expectNPM(t, res, id+" ours legacy", true)
			for _, c := range []string{" changed body", " other URL", " http", " wrong key", " wrong key legacy"} {
				expectNPM(t, res, id+c, false)
			}
			sdk := expectNPM(t, res, id+" sdk sign", true).Signature
			if sdk != ours[id] {
				t.Errorf("%s: SignRequest = %q, the SDK's HMAC = %q", id, ours[id], sdk)
			}
			h := header(s.Header, sdk)
			wantErr(t, id+" SDK signature", s.VerifyRequest(r, h, body, secrets(key), testNow), nil)
			wantErr(t, id+" SDK signature, rotated keys", s.VerifyRequest(r, h, body, secrets("old-key", key), testNow), nil)
			wantErr(t, id+" SDK signature, changed body", s.VerifyRequest(r, h, append(append([]byte{}, body...), ' '), secrets(key), testNow), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, other URL", s.VerifyRequest(Request{Method: http.MethodPost, URL: u + "/"}, h, body, secrets(key), testNow), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, wrong key", s.VerifyRequest(r, h, body, secrets(key+"x"), testNow), ErrSignatureMismatch)
		}
	}
	for _, v := range squareSDKVectors {
		expectNPM(t, res, v.name, true)
		expectNPM(t, res, v.name+" legacy", true)
		r := Request{Method: http.MethodPost, URL: v.url}
		h := header(s.Header, v.sig)
		wantErr(t, v.name, s.VerifyRequest(r, h, []byte(v.body), secrets(v.key), testNow), nil)
		wantErr(t, v.name+", other key", s.VerifyRequest(r, h, []byte(v.body), secrets("MCmhFRxGX82xMwg5FsaoQA"), testNow), ErrSignatureMismatch)
		wantErr(t, v.name+", other URL", s.VerifyRequest(Request{Method: http.MethodPost, URL: v.url + "x"}, h, []byte(v.body), secrets(v.key), testNow), ErrSignatureMismatch)
	}
	// The SDK's "formatted body" case: the same JSON re-indented is refused.
	v := squareSDKVectors[0]
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(v.body), "", "    "); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "re-indented body", s.VerifyRequest(Request{Method: http.MethodPost, URL: v.url}, header(s.Header, v.sig), pretty.Bytes(), secrets(v.key), testNow), ErrSignatureMismatch)
	proven(t, "square", bySDK, npmSource("square", "WebhooksHelper.verifySignature"))
}

func testTrelloNode(t *testing.T, d npmDriver) {
	s := trelloScheme()
	checkDefinition(t, "trello", s)
	const secret = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
	bodies := npmBodies(t, filepath.Join("trello", "create_card.json"))
	urls := []string{"https://hooks.example.com/webhooks/trello", "https://mycallback.com/trelloCallbacks/?memberID=14&mainModel=true"}

	var cases []npmCase
	ours := map[string]string{}
	for i, body := range bodies {
		for j, u := range urls {
			id := fmt.Sprintf("%d/%d", i, j)
			h := http.Header{}
			s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, body, []byte(secret), testNow)
			sig := h.Get(s.Header)
			ours[id] = sig
			cases = append(cases,
				npmCase{ID: id + " ours", Op: "trello.verify", Body: body, URL: u, Key: secret, Signature: sig},
				npmCase{ID: id + " changed body", Op: "trello.verify", Body: append(append([]byte{}, body...), ' '), URL: u, Key: secret, Signature: sig},
				npmCase{ID: id + " other URL", Op: "trello.verify", Body: body, URL: u + "&", Key: secret, Signature: sig},
				npmCase{ID: id + " wrong secret", Op: "trello.verify", Body: body, URL: u, Key: secret[1:], Signature: sig},
				npmCase{ID: id + " node sign", Op: "trello.sign", Body: body, URL: u, Key: secret},
				npmCase{ID: id + " node sign latin1", Op: "trello.sign", Body: body, URL: u, Key: secret, Encoding: "latin1"},
			)
		}
	}
	res := d.run(t, cases)
	for i, body := range bodies {
		for j, u := range urls {
			id := fmt.Sprintf("%d/%d", i, j)
			r := Request{Method: http.MethodPost, URL: u}
			expectNPM(t, res, id+" ours", true)
			for _, c := range []string{" changed body", " other URL", " wrong secret"} {
				expectNPM(t, res, id+c, false)
			}
			node := expectNPM(t, res, id+" node sign", true).Signature
			if node != ours[id] {
				t.Errorf("%s: SignRequest = %q, Node's crypto = %q", id, ours[id], node)
			}
			h := header(s.Header, node)
			wantErr(t, id+" Node signature", s.VerifyRequest(r, h, body, secrets(secret), testNow), nil)
			wantErr(t, id+" Node signature, changed body", s.VerifyRequest(r, h, append(append([]byte{}, body...), ' '), secrets(secret), testNow), ErrSignatureMismatch)
			wantErr(t, id+" Node signature, other URL", s.VerifyRequest(Request{Method: http.MethodPost, URL: u + "&"}, h, body, secrets(secret), testNow), ErrSignatureMismatch)
			wantErr(t, id+" Node signature, wrong secret", s.VerifyRequest(r, h, body, secrets(secret[1:]), testNow), ErrSignatureMismatch)

			// Trello's guide says its signer hashes the text as a "binary"
			// (latin1) string: each UTF-16 unit cut to its low byte. For an
			// ASCII body and URL that is the UTF-8 signature; for any other it
			// is not, and VerifyRequest (over the raw bytes) refuses it.
			latin1 := expectNPM(t, res, id+" node sign latin1", true).Signature
			if ascii(body) && latin1 != node {
				t.Errorf("%s: ASCII body, latin1 signature %q != UTF-8 %q", id, latin1, node)
			}
			// Both are accepted (URLHMAC.Latin1), and neither under another key.
			wantErr(t, id+" latin1 signature", s.VerifyRequest(r, header(s.Header, latin1), body, secrets(secret), testNow), nil)
			wantErr(t, id+" latin1 signature, wrong secret", s.VerifyRequest(r, header(s.Header, latin1), body, secrets(secret[1:]), testNow), ErrSignatureMismatch)
		}
	}
	proven(t, "trello", byDerived, "Node.js crypto createHmac, Atlassian's documented algorithm (Trello has no SDK)")
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func testGitHubOctokit(t *testing.T, d npmDriver) {
	s := githubScheme()
	const secret = "It's a Secret to Everybody" // GitHub's documented example secret
	bodies := npmBodies(t, filepath.Join("github", "push.json"))
	bodies = append(bodies, []byte("Hello, World!")) // GitHub's documented example payload

	var cases []npmCase
	ours := map[int]string{}
	for i, body := range bodies {
		h := http.Header{}
		s.Sign(h, body, []byte(secret), testNow)
		sig := h.Get("X-Hub-Signature-256")
		ours[i] = sig
		id := fmt.Sprint(i)
		cases = append(cases, sharedKeyControls(id, "github.verify", body, secret, sig)...)
		cases = append(cases,
			npmCase{ID: id + " sdk sign", Op: "github.sign", Body: body, Key: secret},
		)
	}
	res := d.run(t, cases)
	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		expectNPM(t, res, id+" changed body", false)
		expectNPM(t, res, id+" wrong secret", false)
		sdk := expectNPM(t, res, id+" sdk sign", true).Signature
		if sdk != ours[i] {
			t.Errorf("%s: Sign = %q, octokit sign = %q", id, ours[i], sdk)
		}
		h := header("X-Hub-Signature-256", sdk)
		wantErr(t, id+" octokit signature", s.Verify(h, body, secrets(secret), testNow), nil)
		wantErr(t, id+" octokit signature, changed body", s.Verify(h, append(append([]byte{}, body...), ' '), secrets(secret), testNow), ErrSignatureMismatch)
		wantErr(t, id+" octokit signature, wrong secret", s.Verify(h, body, secrets(secret+"!"), testNow), ErrSignatureMismatch)
	}
	// GitHub's documented example (docs.github.com, Validating webhook deliveries).
	const documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if ours[len(bodies)-1] != documented {
		t.Errorf("Sign = %q, GitHub's documented signature %q", ours[len(bodies)-1], documented)
	}
	proven(t, "github", bySDK, npmSource("@octokit/webhooks-methods", "sign/verify"))
}
