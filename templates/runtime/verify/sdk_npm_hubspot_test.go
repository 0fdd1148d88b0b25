package verify

// HubSpot's v3 signature against HubSpot's own Node SDK, @hubspot/api-client
// (lib/src/utils/signature.js: Signature.isValid and Signature.getSignature
// with signatureVersion 'v3'), installed from npm at a pinned version into a
// temporary folder and driven by node at test time. Both directions: our
// SignRequest passes the SDK's isValid, and signatures the SDK (and plain
// node:crypto, following the documented algorithm) computes pass our
// VerifyRequest; changing the body, the URL, the secret, the method or the
// timestamp makes the SDK refuse too, so the check is not vacuous.
//
// Needs node and npm and the npm registry: without them the test skips,
// loudly, except under CI=true where it fails. -short skips it.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const hubspotSDK = "@hubspot/api-client@14.0.1"

// hubspotScheme is X-HubSpot-Signature-v3 as providers/hubspot.json describes
// it (TestBatchGSchemesMatchDefinitions checks that they agree).
func hubspotScheme() URLHMAC {
	return URLHMAC{
		Header: "X-HubSpot-Signature-v3", Algorithm: SHA256, Encoding: Base64,
		SignedPayload:   "{method}{url}{body}{timestamp}",
		TimestampHeader: "X-HubSpot-Request-Timestamp", Unit: Milliseconds, Tolerance: 5 * time.Minute,
	}
}

// hubspotNodeScript reads a JSON array of cases on stdin and writes one
// result per case: "check" runs the SDK's Signature.isValid (v3), "sign"
// computes the v3 signature with the SDK's getSignature and, independently,
// with node:crypto from the documented algorithm
// (base64(HMAC-SHA256(secret, method + uri + body + timestamp))).
const hubspotNodeScript = `
const { Signature } = require('@hubspot/api-client');
const crypto = require('crypto');
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((c) => {
    const opts = { signatureVersion: 'v3', signature: c.signature, clientSecret: c.secret,
      requestBody: c.body, url: c.url, method: c.method, timestamp: Number(c.timestamp) };
    if (c.op === 'check') {
      try { return { ok: Signature.isValid(opts) }; } catch (e) { return { ok: false, error: String(e.message) }; }
    }
    const documented = crypto.createHmac('sha256', c.secret)
      .update(c.method + c.url + c.body + c.timestamp, 'utf8').digest('base64');
    return { sdk: Signature.getSignature(c.method, 'v3', opts), documented };
  });
  process.stdout.write(JSON.stringify(out));
});
`

type hubspotCase struct {
	Op        string `json:"op"` // "check" or "sign"
	Signature string `json:"signature,omitempty"`
	Secret    string `json:"secret"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	Method    string `json:"method"`
	Timestamp string `json:"timestamp"`
}

type hubspotResult struct {
	OK         bool   `json:"ok"`
	Error      string `json:"error"`
	SDK        string `json:"sdk"`
	Documented string `json:"documented"`
}

// hubspotRunner runs cases through the SDK in node.
type hubspotRunner func(t *testing.T, cases []hubspotCase) []hubspotResult

// hubspotNode installs the SDK into a temporary folder of t.
func hubspotNode(t *testing.T) hubspotRunner {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the npm install of " + hubspotSDK)
	}
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Logf("SKIPPING HubSpot SDK conformance: "+format, args...)
		t.SkipNow()
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed (%v)", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		missing("npm is not installed (%v)", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	install := exec.Command(npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev",
		"--no-package-lock", "--loglevel=error", hubspotSDK)
	install.Dir = dir
	install.Env = append(os.Environ(), "npm_config_update_notifier=false")
	if out, err := install.CombinedOutput(); err != nil {
		missing("npm install %s: %v\n%s", hubspotSDK, err, out)
	}
	script := filepath.Join(dir, "hubspot.js")
	if err := os.WriteFile(script, []byte(hubspotNodeScript), 0o644); err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, cases []hubspotCase) []hubspotResult {
		t.Helper()
		in, _ := json.Marshal(cases)
		cmd := exec.Command(node, script)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node: %v\n%s", err, stderr.String())
		}
		var res []hubspotResult
		if err := json.Unmarshal(out, &res); err != nil || len(res) != len(cases) {
			t.Fatalf("node answered %q (%v)", out, err)
		}
		return res
	}
}

var hubspotBodies = []string{
	`[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]`,
	`[{"eventId":3029365631,"subscriptionId":686627,"portalId":891472211,"occurredAt":1715203101896,"subscriptionType":"contact.propertyChange","objectId":847297356,"propertyName":"firstname","propertyValue":"Zoë 🚀 \"quoted\""},{"eventId":3029365632,"subscriptionId":686628,"portalId":891472211,"occurredAt":1715203101897,"subscriptionType":"contact.deletion","objectId":847297357}]`,
	`[]`,
}

var hubspotURLs = []string{
	"https://hooks.example.com/webhooks/hubspot",
	"https://hooks.example.com:8443/prefix/webhooks/hubspot?tenant=acme&x=1",
}

// TestHubSpotSDK installs the SDK once and runs both directions on it.
func TestHubSpotSDK(t *testing.T) {
	run := hubspotNode(t)
	t.Run("our signature passes isValid", func(t *testing.T) { hubspotOursPassSDK(t, run) })
	t.Run("SDK signature passes VerifyRequest", func(t *testing.T) { hubspotSDKPassesOurs(t, run) })
	proven(t, "hubspot", bySDK, "npm "+hubspotSDK+" Signature.isValid")
}

func hubspotOursPassSDK(t *testing.T, run hubspotRunner) {
	s := hubspotScheme()
	const secret = "hubspot-client-secret-3f9c2a7e"
	now := time.Now() // the SDK checks the age against Date.now()
	var cases []hubspotCase
	var want []bool
	add := func(c hubspotCase, ok bool) { cases, want = append(cases, c), append(want, ok) }
	for _, u := range hubspotURLs {
		for _, body := range hubspotBodies {
			h := http.Header{}
			s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, []byte(body), []byte(secret), now)
			c := hubspotCase{Op: "check", Signature: h.Get(s.Header), Secret: secret, Body: body, URL: u, Method: "POST", Timestamp: h.Get(s.TimestampHeader)}
			add(c, true)
			// Controls: the SDK refuses the same signature for anything else.
			other := c
			other.Body = body + " "
			add(other, false)
			other = c
			other.URL = u + "/"
			add(other, false)
			other = c
			other.Secret = secret + "x"
			add(other, false)
			other = c
			other.Method = "PUT"
			add(other, false)
			other = c
			ts, _ := strconv.ParseInt(c.Timestamp, 10, 64)
			other.Timestamp = strconv.FormatInt(ts+1, 10)
			add(other, false)
		}
	}
	// A stale timestamp: the SDK throws (reported here as not ok), and so do we.
	old := now.Add(-6 * time.Minute)
	h := http.Header{}
	s.SignRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), []byte(secret), old)
	add(hubspotCase{Op: "check", Signature: h.Get(s.Header), Secret: secret, Body: hubspotBodies[0], URL: hubspotURLs[0], Method: "POST", Timestamp: h.Get(s.TimestampHeader)}, false)
	wantErr(t, "stale", s.VerifyRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), secrets(secret), now), ErrTimestampExpired)

	res := run(t, cases)
	for i, r := range res {
		if r.OK != want[i] {
			c := cases[i]
			t.Errorf("case %d (%s %s body %.30q ts %s): SDK isValid = %v (%s), want %v", i, c.Method, c.URL, c.Body, c.Timestamp, r.OK, r.Error, want[i])
		}
	}
	if !strings.Contains(res[len(res)-1].Error, "Timestamp") {
		t.Errorf("stale: SDK said %q, want its timestamp error", res[len(res)-1].Error)
	}
}

func hubspotSDKPassesOurs(t *testing.T, run hubspotRunner) {
	s := hubspotScheme()
	const secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
	now := time.Now()
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	var cases []hubspotCase
	for _, u := range hubspotURLs {
		for _, body := range hubspotBodies {
			cases = append(cases, hubspotCase{Op: "sign", Secret: secret, Body: body, URL: u, Method: "POST", Timestamp: ts})
		}
	}
	for i, r := range run(t, cases) {
		c := cases[i]
		if r.SDK == "" || r.SDK != r.Documented {
			t.Errorf("case %d: SDK getSignature %q, node:crypto %q", i, r.SDK, r.Documented)
		}
		req := Request{Method: c.Method, URL: c.URL}
		h := http.Header{}
		h.Set(s.Header, r.SDK)
		h.Set(s.TimestampHeader, c.Timestamp)
		body := []byte(c.Body)
		wantErr(t, "SDK signature", s.VerifyRequest(req, h, body, secrets("old-secret", secret), now), nil)
		wantErr(t, "SDK signature, changed body", s.VerifyRequest(req, h, append(body, ' '), secrets(secret), now), ErrSignatureMismatch)
		wantErr(t, "SDK signature, other URL", s.VerifyRequest(Request{Method: c.Method, URL: c.URL + "/"}, h, body, secrets(secret), now), ErrSignatureMismatch)
		wantErr(t, "SDK signature, other method", s.VerifyRequest(Request{Method: http.MethodPut, URL: c.URL}, h, body, secrets(secret), now), ErrSignatureMismatch)
		wantErr(t, "SDK signature, wrong secret", s.VerifyRequest(req, h, body, secrets(secret+"x"), now), ErrSignatureMismatch)
		wantErr(t, "SDK signature, 6 minutes later", s.VerifyRequest(req, h, body, secrets(secret), now.Add(6*time.Minute)), ErrTimestampExpired)
		// Byte for byte what our SignRequest writes at that millisecond.
		ours := http.Header{}
		s.SignRequest(req, ours, body, []byte(secret), time.UnixMilli(now.UnixMilli()))
		if ours.Get(s.Header) != r.SDK || ours.Get(s.TimestampHeader) != c.Timestamp {
			t.Errorf("case %d: SignRequest wrote %q at %q, the SDK %q at %q", i, ours.Get(s.Header), ours.Get(s.TimestampHeader), r.SDK, c.Timestamp)
		}
	}
}
