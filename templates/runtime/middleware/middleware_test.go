package middleware

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestClientIP(t *testing.T) {
	trusted, err := ParsePrefixes([]string{"10.0.0.0/8", "192.168.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		header     http.Header
		want       string
	}{
		{"no proxy", "203.0.113.7:4000", nil, "203.0.113.7"},
		{"untrusted peer forging XFF", "203.0.113.7:4000", http.Header{"X-Forwarded-For": {"192.30.252.1"}}, "203.0.113.7"},
		{"untrusted peer forging Forwarded", "203.0.113.7:4000", http.Header{"Forwarded": {"for=192.30.252.1"}}, "203.0.113.7"},
		{"trusted proxy", "10.1.2.3:80", http.Header{"X-Forwarded-For": {"192.30.252.1"}}, "192.30.252.1"},
		{"client forging behind a trusted proxy", "10.1.2.3:80", http.Header{"X-Forwarded-For": {"1.1.1.1, 192.30.252.1"}}, "192.30.252.1"},
		{"two trusted proxies", "10.1.2.3:80", http.Header{"X-Forwarded-For": {"192.30.252.1, 192.168.1.1"}}, "192.30.252.1"},
		{"Forwarded with port and quotes", "10.1.2.3:80", http.Header{"Forwarded": {`for="[2001:db8::1]:4711";proto=https`}}, "2001:db8::1"},
		{"garbage hop", "10.1.2.3:80", http.Header{"X-Forwarded-For": {"not-an-ip"}}, "10.1.2.3"},
		{"IPv4-mapped peer", "[::ffff:203.0.113.7]:4000", nil, "203.0.113.7"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.RemoteAddr = c.peer
		r.Header = c.header
		if r.Header == nil {
			r.Header = http.Header{}
		}
		if got := clientIP(r, trusted); got.String() != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if _, err := ParsePrefixes([]string{"nope"}); err == nil {
		t.Error("garbage accepted as a CIDR")
	}
}

func TestLimiterPerClient(t *testing.T) {
	l := NewLimiter(5, 5)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	now := time.Now()
	for i := 0; i < 5; i++ {
		if ok, _ := l.Allow(a, now); !ok {
			t.Fatalf("request %d within the burst refused", i)
		}
	}
	ok, wait := l.Allow(a, now)
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("6th request: ok=%v wait=%v, want refused with a wait under 1s", ok, wait)
	}
	if ok, _ := l.Allow(b, now); !ok {
		t.Fatal("another client paid for the first one's burst")
	}
	if ok, _ := l.Allow(a, now.Add(300*time.Millisecond)); !ok {
		t.Fatal("no token after 300ms at 5/s")
	}
	l.sweep(now.Add(time.Hour))
	if len(l.seen) != 0 {
		t.Fatalf("%d idle buckets kept", len(l.seen))
	}
}

func TestConcurrencyCap(t *testing.T) {
	release := make(chan struct{})
	inside := make(chan struct{})
	h := Concurrency(1, func(w http.ResponseWriter, r *http.Request, status int, reason string, retry time.Duration) {
		RetryAfter(w, retry)
		w.WriteHeader(status)
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inside <- struct{}{}; <-release }))
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	<-inside
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	close(release)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" {
		t.Fatalf("over the cap: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestRecoverAnswers500AndCarriesOn(t *testing.T) {
	var logged bytes.Buffer
	h := Recover(slog.New(slog.NewJSONHandler(&logged, nil)), RequestIDs(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})))
	for i := 0; i < 2; i++ { // the second request proves the first did not take anything down
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhooks/x", nil))
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("panic answered %d, want 500", rec.Code)
		}
	}
	if !strings.Contains(logged.String(), `"panic":"boom"`) || !strings.Contains(logged.String(), `"request_id":"`) {
		t.Fatalf("panic not logged with its request id: %s", logged.String())
	}
}
