package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.001, time.Millisecond}} {
		if got := percentile(d, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("empty: %v", got)
	}
	if got := percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("one value: %v", got)
	}
	// Nearest rank: the p50 of 4 values is the 2nd, not an average.
	if got := percentile([]time.Duration{1, 2, 3, 4}, 50); got != 2 {
		t.Errorf("p50 of 1..4 = %v, want 2", got)
	}
}

func TestTable(t *testing.T) {
	tb := newTable("<target", "req/s")
	tb.add("baseline", "31,000")
	tb.add("sqlite")
	var b strings.Builder
	tb.write(&b)
	want := "| target   |  req/s |\n" +
		"| -------- | -----: |\n" +
		"| baseline | 31,000 |\n" +
		"| sqlite   |      – |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{rate(31234.4), "31,234"}, {rate(9999), "9999"}, {rate(1234567), "1,234,567"},
		{ms(1500 * time.Microsecond), "1.50"}, {ms(25 * time.Millisecond), "25.0"}, {ms(250 * time.Millisecond), "250"},
		{pct(0.5), "50%"}, {pct(0.004), "0.4%"}, {mib(30 << 20), "30 MiB"}, {mib(0), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestEventBody(t *testing.T) {
	g := newEvents("0123abcd")
	a, b := g.body(nil, g.id(1)), g.body(nil, g.id(2))
	if len(a) != bodySize || len(b) != bodySize {
		t.Fatalf("bodies of %d and %d bytes, want %d", len(a), len(b), bodySize)
	}
	if string(a) == string(b) || !strings.Contains(string(a), `"id":"`+g.id(1)+`"`) {
		t.Fatalf("ids not in the bodies: %s", a)
	}
}

func TestScrape(t *testing.T) {
	m := parseMetrics(`# HELP x
webhook_events_processed_total{outcome="processed",provider="stripe"} 12
webhook_events_processed_total{outcome="retried",provider="stripe"} 3
webhook_queue_depth 4
`)
	if got := m.sum("webhook_events_processed_total", `outcome="processed"`); got != 12 {
		t.Errorf("processed = %v", got)
	}
	if got := m.sum("webhook_queue_depth"); got != 4 {
		t.Errorf("depth = %v", got)
	}
}
