package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

const edgeConfig = `{
  "server": {"trustedProxies": [], "clientRateLimit": {"perSecond": 0}, "readTimeoutSeconds": 2},
  "processing": {"pollIntervalMillis": 20},
  "providers": {
    "stripe": {"rateLimit": {"perSecond": 5, "burst": 5}},
    "github": {"ipAllowlist": ["preset:github"]}
  }
}
`

// edgeServer runs a Stripe+GitHub service with a 5/s Stripe limit, a GitHub
// allowlist (its published hooks ranges, as a preset) that excludes loopback,
// and metrics on a port of its own.
func edgeServer(t *testing.T, config string) (*server, string, string) {
	t.Helper()
	dir := generate(t, "--module", "example.com/edge", "--provider", "stripe=payment_intent.succeeded", "--provider", "github=push")
	writeFile(t, filepath.Join(dir, "config/webhooks.json"), config)
	admin := "127.0.0.1:" + freePort(t)
	s := startBin(t, dir, build(t, dir), "STRIPE_WEBHOOK_SECRET="+stripeSecret, "GITHUB_WEBHOOK_SECRET=gh-secret",
		"ADMIN_ADDR="+admin, "LOG_FORMAT=json")
	return s, dir, admin
}

func signedStripe(body []byte, at time.Time) (http.Header, []byte) {
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: stripeSecret, Timestamp: at})
	h := http.Header{"Content-Type": {"application/json"}, "Stripe-Signature": {signed.Header}}
	return h, signed.Payload
}

func (s *server) do(t *testing.T, method, path string, h http.Header, body []byte) *http.Response {
	t.Helper()
	res, _ := s.exchange(t, method, path, h, body)
	return res
}

// exchange sends one request and reads the whole answer.
func (s *server) exchange(t *testing.T, method, path string, h http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func scrape(t *testing.T, admin string) string {
	t.Helper()
	res, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// metric returns a sample's value from an exposition, 0 when absent.
func metric(exposition, name string, labels ...string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `(\{[^}]*\})? (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(exposition, -1) {
		ok := true
		for _, l := range labels {
			if !strings.Contains(m[1], l) {
				ok = false
			}
		}
		if ok {
			v, _ := strconv.ParseFloat(m[2], 64)
			return v
		}
	}
	return 0
}

// The acceptance: 429 with Retry-After past a 5/s limit, 403 from
// outside an allowlist whatever X-Forwarded-For says, every counter moving
// on /metrics, and one log line per delivery with no payload or secret.
func TestEdgeProtectionsAndMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	s, dir, admin := edgeServer(t, edgeConfig)
	if strings.Contains(s.url, admin) {
		t.Fatal("admin and public listeners share a port")
	}
	// /metrics is not on the public listener.
	if res := s.do(t, http.MethodGet, "/metrics", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("public /metrics: %d, want 404", res.StatusCode)
	}

	// A burst of 20 valid deliveries against 5/s: some 429 with Retry-After.
	limited, ok := 0, 0
	for i := 0; i < 20; i++ {
		h, body := signedStripe(stripeEvent(t, dir, fmt.Sprintf("evt_burst_%d", i)), time.Now())
		res := s.do(t, http.MethodPost, "/webhooks/stripe", h, body)
		switch res.StatusCode {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			limited++
			if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 {
				t.Fatalf("429 without a usable Retry-After: %q", res.Header.Get("Retry-After"))
			}
		default:
			t.Fatalf("burst delivery: %d", res.StatusCode)
		}
	}
	if limited == 0 || ok < 5 {
		t.Fatalf("%d accepted, %d limited: want the burst of 5 accepted and the rest limited", ok, limited)
	}
	// Forged signatures do not spend the provider's budget: they are 401, not 429.
	time.Sleep(1200 * time.Millisecond)
	for i := 0; i < 20; i++ {
		h, body := signedStripe(stripeEvent(t, dir, "evt_forged"), time.Now())
		h.Set("Stripe-Signature", "t=1,v1=00")
		if res := s.do(t, http.MethodPost, "/webhooks/stripe", h, body); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("forged delivery: %d, want 401", res.StatusCode)
		}
	}
	h, body := signedStripe(stripeEvent(t, dir, "evt_after_forgeries"), time.Now())
	if res := s.do(t, http.MethodPost, "/webhooks/stripe", h, body); res.StatusCode != http.StatusOK {
		t.Fatalf("valid delivery after forgeries: %d, want 200 (forgeries must not spend the limit)", res.StatusCode)
	}
	if res := s.do(t, http.MethodPost, "/webhooks/stripe", h, body); res.StatusCode != http.StatusOK {
		t.Fatalf("duplicate: %d", res.StatusCode)
	}

	// The GitHub allowlist excludes loopback; a forged X-Forwarded-For from an
	// untrusted peer changes nothing.
	gh := http.Header{"Content-Type": {"application/json"}, "X-GitHub-Event": {"push"}, "X-GitHub-Delivery": {"d-1"},
		"X-Forwarded-For": {"192.30.252.10"}, "Forwarded": {"for=192.30.252.10"}}
	if res := s.do(t, http.MethodPost, "/webhooks/github", gh, []byte(`{}`)); res.StatusCode != http.StatusForbidden {
		t.Fatalf("outside the allowlist with a forged X-Forwarded-For: %d, want 403", res.StatusCode)
	}
	// Other rejections, for the counters.
	s.do(t, http.MethodPost, "/webhooks/nope", nil, []byte(`{}`))
	s.do(t, http.MethodGet, "/webhooks/stripe", nil, nil)
	big := bytes.Repeat([]byte(" "), 11<<20)
	s.do(t, http.MethodPost, "/webhooks/stripe", nil, big)

	eventually(t, 10*time.Second, "processing to show in the metrics", func() bool {
		return metric(scrape(t, admin), "webhook_events_processed_total", `outcome="processed"`) >= 5
	})
	m := scrape(t, admin)
	for _, c := range []struct {
		name   string
		labels []string
	}{
		{"webhook_requests_total", []string{`provider="stripe"`, `status="200"`}},
		{"webhook_requests_total", []string{`provider="stripe"`, `status="429"`}},
		{"webhook_rejections_total", []string{`reason="rate"`}},
		{"webhook_rejections_total", []string{`reason="signature"`}},
		{"webhook_rejections_total", []string{`provider="github"`, `reason="ip"`}},
		{"webhook_rejections_total", []string{`provider="unknown"`, `reason="unknown_provider"`}},
		{"webhook_rejections_total", []string{`reason="method"`}},
		{"webhook_rejections_total", []string{`reason="size"`}},
		{"webhook_duplicates_total", []string{`provider="stripe"`}},
		{"webhook_accept_duration_seconds_count", []string{`provider="stripe"`}},
		{"webhook_events_processed_total", []string{`outcome="processed"`}},
		{"webhook_processing_duration_seconds_count", []string{`provider="stripe"`}},
	} {
		if metric(m, c.name, c.labels...) <= 0 {
			t.Errorf("%s%v did not move", c.name, c.labels)
		}
	}
	if !strings.Contains(m, "webhook_queue_depth ") || !strings.Contains(m, "webhook_queue_oldest_pending_age_seconds ") {
		t.Error("queue gauges missing")
	}
	if strings.Contains(m, `provider="nope"`) {
		t.Error("an unknown provider's name became a label")
	}

	// One log line per delivery; no payload, no secret.
	time.Sleep(200 * time.Millisecond)
	logs := s.log.String()
	deliveries := 0
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"msg":"webhook delivery"`) {
			deliveries++
			if !strings.Contains(sc.Text(), `"request_id":"`) {
				t.Errorf("delivery log line without request id: %s", sc.Text())
			}
		}
	}
	if want := 20 + 20 + 2 + 1 + 3; deliveries != want {
		t.Errorf("%d delivery log lines, want %d", deliveries, want)
	}
	for _, leak := range []string{stripeSecret, "gh-secret", `"amount"`, "pi_"} {
		if strings.Contains(logs, leak) {
			t.Errorf("the log contains %q", leak)
		}
	}
}

// Hostile requests through the real server: each gets its status, never a
// 5xx, and the server keeps serving. Bodies meant for the parser are signed.
func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	s, dir, _ := edgeServer(t, `{"server": {"readTimeoutSeconds": 2}}`)
	valid := stripeEvent(t, dir, "evt_hostile_valid")
	signed := func(body []byte) http.Header { h, _ := signedStripe(body, time.Now()); return h }
	with := func(h http.Header, k, v string) http.Header { h = h.Clone(); h.Set(k, v); return h }
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	cases := []struct {
		name string
		h    http.Header
		body []byte
		want int
	}{
		{"no signature", http.Header{}, valid, 401},
		{"malformed signature", with(signed(valid), "Stripe-Signature", "garbage"), valid, 401},
		// Stripe sends one header; with two, the first is read and this one is garbage.
		{"two signature headers", http.Header{"Stripe-Signature": {"t=1,v1=00", signed(valid).Get("Stripe-Signature")}}, valid, 401},
		{"non-numeric timestamp", with(signed(valid), "Stripe-Signature", "t=abc,v1=00"), valid, 401},
		{"negative timestamp", with(signed(valid), "Stripe-Signature", "t=-5,v1=00"), valid, 401},
		{"huge timestamp", with(signed(valid), "Stripe-Signature", "t=99999999999999999999999,v1=00"), valid, 401},
		{"far-future timestamp", func() http.Header { h, _ := signedStripe(valid, time.Now().Add(24*time.Hour)); return h }(), valid, 401},
		{"10,000 header bytes", with(signed(valid), "X-Padding", strings.Repeat("a", 10000)), valid, 200},
		{"empty body, signed", signed(nil), nil, 400},
		{"truncated JSON, signed", signed([]byte(`{"id": "evt_1", "type":`)), []byte(`{"id": "evt_1", "type":`), 400},
		{"JSON nested 10,000 deep, signed", signed([]byte(deep)), []byte(deep), 400},
		// JSON decoding turns invalid UTF-8 into U+FFFD: stored as valid text, no 5xx on Postgres.
		{"invalid UTF-8 id, signed", signed([]byte("{\"id\": \"\xff\xfe\", \"type\": \"x\"}")), []byte("{\"id\": \"\xff\xfe\", \"type\": \"x\"}"), 200},
		{"id of 10,000 bytes, signed", signed([]byte(`{"id": "` + strings.Repeat("i", 10000) + `", "type": "x"}`)), []byte(`{"id": "` + strings.Repeat("i", 10000) + `", "type": "x"}`), 400},
		{"wrong content type, signed", with(signed(valid), "Content-Type", "text/plain"), valid, 200},
		{"array instead of object, signed", signed([]byte(`[1,2,3]`)), []byte(`[1,2,3]`), 400},
		{"11 MiB body", http.Header{}, bytes.Repeat([]byte("a"), 11<<20), 413},
	}
	for _, c := range cases {
		res := s.do(t, http.MethodPost, "/webhooks/stripe", c.h, c.body)
		if res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, res.StatusCode, c.want)
		}
		if res.StatusCode >= 500 {
			t.Errorf("%s: a 5xx", c.name)
		}
	}
	if res := s.do(t, http.MethodPost, "/webhooks/nope", nil, valid); res.StatusCode != 404 {
		t.Errorf("unknown provider: %d", res.StatusCode)
	}
	if res := s.do(t, http.MethodGet, "/webhooks/stripe", nil, nil); res.StatusCode != 405 {
		t.Errorf("GET on a POST route: %d", res.StatusCode)
	}

	// A body slower than the read timeout (2 s here): 408 or a closed connection.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if line != "" && !strings.Contains(line, " 408 ") {
		t.Errorf("slow body: %q, want 408 or a closed connection", line)
	}
	// Still serving.
	h, body := signedStripe(stripeEvent(t, dir, "evt_hostile_after"), time.Now())
	if res := s.do(t, http.MethodPost, "/webhooks/stripe", h, body); res.StatusCode != http.StatusOK {
		t.Fatalf("after the hostile requests: %d", res.StatusCode)
	}
	if strings.Contains(s.log.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", s.log)
	}
}
