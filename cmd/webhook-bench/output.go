package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// machine describes where the run happened.
type machine struct {
	cpu, memory, kernel, goVersion, postgres, load, date string
	cores                                                int
}

func describeMachine(ctx context.Context, o options) machine {
	m := machine{cpu: "?", memory: "?", kernel: "?", goVersion: runtime.Version(), cores: runtime.NumCPU(),
		date: time.Now().UTC().Format("2006-01-02")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	m.load = loadavg()
	if o.databaseURL != "" {
		m.postgres = postgresVersion(ctx, o.databaseURL)
	}
	return m
}

// loadavg is the 1, 5 and 15 minute load averages.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// filesystem names the mount the path lives on, from /proc/self/mounts.
func filesystem(path string) string {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return "?"
	}
	defer f.Close()
	best, kind := "", "?"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		mp := fields[1]
		if (path == mp || strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) && len(mp) >= len(best) {
			best, kind = mp, fields[2]
		}
	}
	return kind
}

// command is how to run this again, the database password hidden.
func command(o options) string {
	var parts []string
	if o.databaseURL != "" {
		parts = append(parts, "TEST_DATABASE_URL='"+redact(o.databaseURL)+"'")
	}
	if o.long && os.Getenv("BENCH_LONG") == "1" {
		parts = append(parts, "BENCH_LONG=1")
	}
	parts = append(parts, "go run ./cmd/webhook-bench")
	parts = append(parts, os.Args[1:]...)
	return strings.Join(parts, " ")
}

func writeReport(w io.Writer, b *bench, m machine, results []*result, gen *generatorTimes) {
	fmt.Fprintf(w, "\n## webhook-bench, %s\n\n", m.date)
	fmt.Fprintf(w, "- Machine: %s, %d cores, %s RAM; %s; %s\n", m.cpu, m.cores, m.memory, m.kernel, m.goVersion)
	fmt.Fprintf(w, "- Pinning: %s\n", b.pinNote)
	fmt.Fprintf(w, "- Load average before the run: %s; after: %s\n", m.load, loadavg())
	fmt.Fprintf(w, "- SQLite file on %s; ", filesystem(b.work))
	if m.postgres != "" {
		fmt.Fprintf(w, "Postgres %s on the same machine, not pinned (it shares both CPUs)\n", m.postgres)
	} else {
		fmt.Fprintf(w, "no Postgres (set TEST_DATABASE_URL to add it)\n")
	}
	fmt.Fprintf(w, "- Service: generated Stripe service, default config/webhooks.json except the per-client rate limit (off: all load comes from 127.0.0.1)%s; LOG_FORMAT=json to a file\n", b.changes())
	if b.o.overlay != "" {
		fmt.Fprintf(w, "- Overlay (-overlay): %s copied over the generated project\n", strings.Join(overlayFiles(b.o.overlay), ", "))
	}
	fmt.Fprintf(w, "- Load: %d-byte signed payment_intent.succeeded events, keep-alive connections, one request at a time per client; fresh database per run\n", bodySize)
	fmt.Fprintf(w, "- Command: `%s`\n\n", command(b.o))

	base := map[string]*result{}
	for _, r := range results {
		if r.target == "baseline" {
			base[r.sc.id] = r
		}
	}
	baselineOf := func(r *result) *result {
		if x := base[r.sc.id]; x != nil {
			return x
		}
		return base["1"]
	}
	t := newTable("#", "<scenario", "<target", "clients", "req/s", "vs baseline", "p50 ms", "p99 ms", "max ms", "errors",
		"peak RSS", "server CPU", "CPU µs/req", "load-gen CPU", "processed/s", "processed in run", "drained after")
	for _, r := range results {
		l := r.load
		row := []string{r.sc.id, r.sc.name, r.target, fmt.Sprint(r.sc.clients), rate(l.rps()), "",
			ms(percentile(l.latencies, 50)), ms(percentile(l.latencies, 99)), ms(percentile(l.latencies, 100)),
			fmt.Sprint(l.errors), mib(r.rss), pct(r.serverCPU.Seconds() / l.elapsed.Seconds()),
			fmt.Sprintf("%.0f", float64(r.cpuTotal.Microseconds())/float64(l.sent)), pct(l.cpu.Seconds() / l.elapsed.Seconds())}
		if bl := baselineOf(r); bl != nil && bl != r {
			row[5] = pct(l.rps() / bl.load.rps())
		}
		if r.generated() {
			row = append(row, rate(r.processedAtStop/l.elapsed.Seconds()), pct(r.processedAtStop/float64(l.accepted)))
			switch {
			case !r.sc.drain:
				row = append(row, "")
			case r.drainedAfter >= 0:
				row = append(row, fmt.Sprintf("%.1f s", r.drainedAfter.Seconds()))
			default:
				row = append(row, fmt.Sprintf("not in %s (%.0f left)", b.o.drain, r.leftover))
			}
		}
		t.add(row...)
	}
	t.write(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "processed/s: events that reached the handler during the load; processed in run: their share of the new events acknowledged; "+
		"drained after: time after the load until every acknowledged event was processed. "+
		"server CPU: the server's CPU time over the load's (100% = its whole CPU); CPU µs/req: the server's CPU time from the start of the load until drained, per request sent. vs baseline: req/s over the baseline's in the same scenario (scenarios 3 and 5: scenario 1's).")
	for _, r := range results {
		if r.sc.forgedPct > 0 || r.sc.dupPct > 0 {
			fmt.Fprintf(w, "Scenario %s, %s: %d new events acknowledged, %d duplicates answered as such, %d forged refused with 401.\n",
				r.sc.id, r.target, r.load.accepted, r.load.duplicate, r.load.refused)
		}
	}
	for _, r := range results {
		if len(r.profiles) > 0 {
			fmt.Fprintf(w, "Profiles (%s, scenario 1): %s\n", r.target, strings.Join(r.profiles, ", "))
		}
	}

	var mem []*result
	for _, r := range results {
		if r.sc.rssAt > 0 {
			mem = append(mem, r)
		}
	}
	if len(mem) > 0 {
		fmt.Fprintln(w)
		mt := newTable("<target", "peak RSS at "+mem[0].sc.rssAt.String(), "at "+mem[0].sc.duration.String(), "growth")
		for _, r := range mem {
			mt.add(r.target, mib(r.rssAt), mib(r.rss), pct(float64(r.rss-r.rssAt)/float64(r.rssAt)))
		}
		mt.write(w)
	}

	if gen != nil {
		fmt.Fprintln(w)
		gt := newTable("<generator", "time")
		gt.add("load the built-in catalogue", ms(gen.catalogue)+" ms")
		gt.add(fmt.Sprintf("render every provider (%d providers, %d files)", gen.providers, gen.files), ms(gen.render)+" ms")
		gt.add("`check` on a 4-provider project (stripe, github, shopify, generic-hmac), whole process", ms(gen.checkWall)+" ms")
		gt.write(w)
		fmt.Fprintf(w, "\nMedians; check reports its own part as %q.\n", gen.checkSelf)
	}

	fmt.Fprintln(w)
	goals(w, results, gen)
}

// goals sets the goals beside the measurements.
func goals(w io.Writer, results []*result, gen *generatorTimes) {
	find := func(id, target string) *result {
		for _, r := range results {
			if r.sc.id == id && r.target == target {
				return r
			}
		}
		return nil
	}
	mark := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	gt := newTable("<goal", "<measured", "<met")
	if s, bl := find("1", "sqlite"), find("1", "baseline"); s != nil && bl != nil {
		ratio, p99 := s.load.rps()/bl.load.rps(), percentile(s.load.latencies, 99)
		gt.add("SQLite ≥ 50% of the baseline's req/s at 32 clients, p99 ≤ 10 ms",
			fmt.Sprintf("%s of %s req/s, p99 %s ms", pct(ratio), rate(bl.load.rps()), ms(p99)), mark(ratio >= 0.5 && p99 <= 10*time.Millisecond))
	}
	for _, target := range []string{"sqlite", "postgres"} {
		if s := find("1", target); s != nil {
			f := s.processedAtStop / float64(s.load.accepted)
			gt.add("processing ≥ 90% of acknowledged events during the run ("+target+")", pct(f), mark(f >= 0.9))
		}
	}
	for _, target := range []string{"sqlite", "postgres"} {
		s1, s3 := find("1", target), find("3", target)
		if s1 != nil && s3 != nil {
			f := s3.load.rps() / s1.load.rps()
			gt.add("slow handler: acceptance does not slow down ("+target+")",
				fmt.Sprintf("%s req/s, %s of scenario 1", rate(s3.load.rps()), pct(f)), mark(f >= 0.9))
		}
	}
	if bl := find("4", "baseline"); bl != nil {
		for _, target := range []string{"sqlite", "postgres"} {
			if s := find("4", target); s != nil {
				add := percentile(s.load.latencies, 50) - percentile(bl.load.latencies, 50)
				gt.add("lone request: added p50 latency ≤ 2 ms ("+target+")",
					fmt.Sprintf("+%s ms (%s vs %s ms)", ms(add), ms(percentile(s.load.latencies, 50)), ms(percentile(bl.load.latencies, 50))),
					mark(add <= 2*time.Millisecond))
			}
		}
	}
	for _, target := range []string{"sqlite", "postgres"} {
		if s := find("5", target); s != nil && s.rssAt > 0 {
			g := float64(s.rss-s.rssAt) / float64(s.rssAt)
			gt.add(fmt.Sprintf("peak RSS at %s within 10%% of %s (%s)", s.sc.duration, s.sc.rssAt, target),
				fmt.Sprintf("%s → %s (%s)", mib(s.rssAt), mib(s.rss), pct(g)), mark(g <= 0.1))
		}
	}
	if gen != nil {
		gt.add("render every provider < 100 ms", ms(gen.render)+" ms", mark(gen.render < 100*time.Millisecond))
		gt.add("`check` < 1 s (no compilation)", ms(gen.checkWall)+" ms", mark(gen.checkWall < time.Second))
	}
	gt.write(w)
}

// overlayFiles lists the files of an -overlay directory, relative to it.
func overlayFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if rel, err := filepath.Rel(dir, path); err == nil {
				out = append(out, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	return out
}

// changes lists the -set and -server-env changes to the service, for the
// report's description of it.
func (b *bench) changes() string {
	var parts []string
	for _, s := range b.o.set {
		v, _ := json.Marshal(s.value)
		parts = append(parts, strings.Join(s.path, ".")+"="+string(v))
	}
	parts = append(parts, b.o.serverEnv...)
	if len(parts) == 0 {
		return ""
	}
	return ", and " + strings.Join(parts, ", ")
}
