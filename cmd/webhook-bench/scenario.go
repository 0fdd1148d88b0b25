package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// scenario is a load shape, run against each of its targets.
type scenario struct {
	id, name          string
	clients           int
	duration          time.Duration
	dupPct, forgedPct int
	handlerSleep      time.Duration
	// drain: wait for the queue to empty after the load (not with a slow
	// handler, whose backlog takes minutes by design).
	drain bool
	// rssAt also samples the server's peak RSS this far into the load.
	rssAt   time.Duration
	targets []string
}

func (b *bench) plan() []scenario {
	targets := func(ts ...string) []string {
		var out []string
		for _, t := range ts {
			if !slices.Contains(strings.Split(b.o.targets, ","), t) {
				continue
			}
			if t == "postgres" && b.o.databaseURL == "" {
				continue
			}
			out = append(out, t)
		}
		return out
	}
	o := b.o
	all := []scenario{
		{id: "1", name: "unique events", clients: o.clients, duration: o.duration, drain: true,
			targets: targets("baseline", "sqlite", "postgres")},
		{id: "2", name: "10% duplicates, 5% forged", clients: o.clients, duration: o.duration, dupPct: 10, forgedPct: 5, drain: true,
			targets: targets("baseline", "sqlite", "postgres")},
		{id: "3", name: "slow handler (50 ms)", clients: o.clients, duration: o.duration, handlerSleep: 50 * time.Millisecond,
			targets: targets("sqlite", "postgres")},
		{id: "4", name: "lone client", clients: 1, duration: o.lone, drain: true,
			targets: targets("baseline", "sqlite", "postgres")},
	}
	if o.long {
		all = append(all, scenario{id: "5", name: "memory, sustained", clients: o.clients, duration: o.longDuration,
			rssAt: min(20*time.Second, o.longDuration/3), targets: targets("sqlite", "postgres")})
	}
	var out []scenario
	for _, s := range all {
		if slices.Contains(strings.Split(o.scenarios, ","), s.id) && len(s.targets) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// result is one scenario against one target.
type result struct {
	sc        scenario
	target    string
	load      *loadResult
	rss       int64
	rssAt     int64 // peak RSS at sc.rssAt
	serverCPU time.Duration
	// cpuTotal is the server's CPU from the start of the load until the
	// queue drained (or the wait for it ended): the cost of accepting and
	// processing, which contention from other processes does not change much.
	cpuTotal time.Duration
	// The generated service only.
	processedAtStop float64
	drainedAfter    time.Duration // -1: not drained within -drain
	leftover        float64       // events still unprocessed when the drain wait gave up
	profiles        []string
}

func (r *result) generated() bool { return r.target != "baseline" }

// measure starts the target afresh (new database), loads it, and collects
// the figures.
func (b *bench) measure(ctx context.Context, sc scenario, target string) (*result, error) {
	b.runs++
	dir := filepath.Join(b.work, "runs", fmt.Sprintf("%02d-%s-%s", b.runs, sc.id, target))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cpu := ""
	if b.pinned {
		cpu = b.o.cpuServer
	}
	env := append([]string{"STRIPE_WEBHOOK_SECRET=" + string(b.secret)}, b.o.serverEnv...)
	var (
		bin   = b.svcBin
		args  []string
		admin string
	)
	switch target {
	case "baseline":
		bin, args = b.self, []string{"baseline", "-addr", "127.0.0.1:" + port}
	default:
		aport, err := freePort()
		if err != nil {
			return nil, err
		}
		admin = "127.0.0.1:" + aport
		env = append(env, "PORT="+port, "ADMIN_ADDR="+admin, "LOG_FORMAT=json",
			"WEBHOOKS_CONFIG="+filepath.Join(b.svc, "config", "webhooks.json"))
		if sc.handlerSleep > 0 {
			env = append(env, "BENCH_HANDLER_SLEEP="+sc.handlerSleep.String())
		}
		if b.o.profile != "" && sc.id == "1" {
			env = append(env, "BENCH_PROFILE_RATE=10000")
		}
		if target == "postgres" {
			u, drop, err := freshSchema(ctx, b.o.databaseURL)
			if err != nil {
				return nil, err
			}
			defer drop()
			env = append(env, "DATABASE_URL="+u)
		}
	}
	b.logf("scenario %s (%s), %s: %d client(s) for %s", sc.id, sc.name, target, sc.clients, sc.duration)
	srv, err := startServer(ctx, dir, filepath.Join(dir, "server.log"), cpu, bin, args, env, port, admin)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	r := &result{sc: sc, target: target, drainedAfter: -1}
	var wg sync.WaitGroup
	if sc.rssAt > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(sc.rssAt):
				r.rssAt = peakRSS(srv.pid())
			case <-ctx.Done():
			}
		}()
	}
	if b.o.profile != "" && sc.id == "1" && admin != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.profiles = b.takeProfiles(ctx, admin, target, sc.duration)
		}()
	}
	cpu0 := procCPU(srv.pid())
	load, err := runLoad(ctx, loadSpec{addr: srv.addr, clients: sc.clients, duration: sc.duration,
		dupPct: sc.dupPct, forgedPct: sc.forgedPct, secret: b.secret, events: b.events, seq: b.seq})
	if err != nil {
		return nil, err
	}
	r.load = load
	r.serverCPU = procCPU(srv.pid()) - cpu0
	r.rss = peakRSS(srv.pid())
	if admin != "" {
		if r.processedAtStop, err = processed(admin); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		if sc.drain {
			b.waitDrain(ctx, admin, r)
		}
	}
	r.cpuTotal = procCPU(srv.pid()) - cpu0
	wg.Wait()
	if load.errors > 0 {
		b.logf("  %d errors, e.g. %s", load.errors, strings.Join(load.errSample, "; "))
	}
	b.logf("  %.0f req/s, p50 %s ms, p99 %s ms", load.rps(), ms(percentile(load.latencies, 50)), ms(percentile(load.latencies, 99)))
	return r, nil
}

// waitDrain waits until every acknowledged new event has been processed.
func (b *bench) waitDrain(ctx context.Context, admin string, r *result) {
	start := time.Now()
	want := float64(r.load.accepted)
	n := r.processedAtStop
	for n < want && time.Since(start) < b.o.drain && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		if v, err := processed(admin); err == nil {
			n = v
		}
	}
	if n >= want {
		r.drainedAfter = time.Since(start)
		if r.processedAtStop >= want {
			r.drainedAfter = 0
		}
	} else {
		r.leftover = want - n
	}
}

// takeProfiles saves CPU, block and mutex profiles of the middle of a run.
func (b *bench) takeProfiles(ctx context.Context, admin, target string, d time.Duration) []string {
	if err := os.MkdirAll(b.o.profile, 0o755); err != nil {
		b.logf("profile: %v", err)
		return nil
	}
	secs := max(int((d - 3*time.Second).Seconds()), 1)
	select {
	case <-time.After(time.Second):
	case <-ctx.Done():
		return nil
	}
	var (
		mu    sync.Mutex
		saved []string
		wg    sync.WaitGroup
	)
	for _, kind := range []string{"profile", "block", "mutex"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := strings.Replace(kind, "profile", "cpu", 1)
			path := filepath.Join(b.o.profile, target+"-"+name+".pprof")
			c := http.Client{Timeout: time.Duration(secs+30) * time.Second}
			res, err := c.Get(fmt.Sprintf("http://%s/debug/pprof/%s?seconds=%d", admin, kind, secs))
			if err != nil {
				b.logf("profile %s: %v", kind, err)
				return
			}
			defer res.Body.Close()
			f, err := os.Create(path)
			if err == nil {
				_, err = io.Copy(f, res.Body)
				f.Close()
			}
			if err != nil || res.StatusCode != http.StatusOK {
				b.logf("profile %s: %v %s", kind, err, res.Status)
				return
			}
			mu.Lock()
			saved = append(saved, path)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return saved
}
