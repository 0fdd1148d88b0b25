package e2e

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A bounded mixed load on loopback: 85% new valid events, 10% duplicates,
// 5% forged signatures, from 16 clients for 10 s. The server must keep
// answering (no 5xx), every acknowledged event must be processed, and memory
// must stay bounded. Throughput and peak RSS are logged for the record.
func TestMixedLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: runs a load test")
	}
	dir, bin := inboxProject(t)
	writeFile(t, filepath.Join(dir, "config/webhooks.json"), `{"server": {"clientRateLimit": {"perSecond": 0}}, "processing": {"pollIntervalMillis": 20, "workers": 20}}`)
	logPath := filepath.Join(t.TempDir(), "handler.log")
	s := startBin(t, dir, bin, "STRIPE_WEBHOOK_SECRET="+stripeSecret, "HANDLER_LOG="+logPath, "LOG_FORMAT=json")

	var (
		mu     sync.Mutex
		acked  = map[string]bool{}
		counts sync.Map // status → *atomic.Int64
		sent   atomic.Int64
		seq    atomic.Int64
	)
	count := func(code int) {
		v, _ := counts.LoadOrStore(code, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	// Keep connections open, as a provider's sender does; the default client
	// keeps 2 per host and would measure connection setup instead.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	body := stripeEvent(t, dir, "evt_template")
	stop := time.Now().Add(10 * time.Second)
	var wg sync.WaitGroup
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 42))
			var mine []string
			for time.Now().Before(stop) {
				roll := rng.IntN(100)
				var id string
				switch {
				case roll < 10 && len(mine) > 0:
					id = mine[rng.IntN(len(mine))] // a duplicate
				default:
					id = fmt.Sprintf("evt_load_%d", seq.Add(1))
				}
				h, body := signedStripe(bytes.Replace(body, []byte("evt_template"), []byte(id), 1), time.Now())
				forged := roll >= 95
				if forged {
					h.Set("Stripe-Signature", "t="+strconv.FormatInt(time.Now().Unix(), 10)+",v1="+strings.Repeat("ab", 32))
				}
				req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/stripe", strings.NewReader(string(body)))
				req.Header = h
				res, err := client.Do(req)
				if err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
				res.Body.Close()
				sent.Add(1)
				count(res.StatusCode)
				switch {
				case forged && res.StatusCode != http.StatusUnauthorized:
					t.Errorf("forged delivery answered %d", res.StatusCode)
				case !forged && res.StatusCode == http.StatusOK:
					mine = append(mine, id)
					mu.Lock()
					acked[id] = true
					mu.Unlock()
				case !forged:
					t.Errorf("valid delivery answered %d", res.StatusCode)
				}
			}
		}(c)
	}
	wg.Wait()
	peak := peakRSS(t, s.cmd.Process.Pid)
	waitProcessed(t, logPath, slices.Collect(maps.Keys(acked)))
	var summary []string
	counts.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%v: %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	t.Logf("mixed load: %d requests in 10 s (%.0f/s) from 16 clients; %d distinct events acknowledged and processed; statuses %v; server peak RSS %d MiB",
		sent.Load(), float64(sent.Load())/10, len(acked), summary, peak>>20)
	if peak > 512<<20 {
		t.Errorf("peak RSS %d MiB: memory is not bounded", peak>>20)
	}
}

// peakRSS reads a process's high-water resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
