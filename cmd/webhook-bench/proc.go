package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the fresh schema of each run
)

// server is a process under test: the baseline or the generated service.
type server struct {
	cmd   *exec.Cmd
	addr  string // host:port of the public listener
	admin string // host:port of the admin listener ("" for the baseline)
	log   string
	done  chan error
}

// startServer runs bin with env (pinned to cpu unless cpu is ""), and waits
// until GET /healthz answers.
func startServer(ctx context.Context, dir, logPath, cpu, bin string, args, env []string, port, admin string) (*server, error) {
	s := &server{addr: "127.0.0.1:" + port, admin: admin, log: logPath, done: make(chan error, 1)}
	name := bin
	if cpu != "" {
		name, args = "taskset", append([]string{"-c", cpu, bin}, args...)
	}
	s.cmd = exec.Command(name, args...)
	s.cmd.Dir = dir
	s.cmd.Env = append(os.Environ(), env...)
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait(); f.Close() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			return nil, fmt.Errorf("%s exited: %v\n%s", filepath.Base(bin), err, tail(logPath))
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s did not become healthy within 60 s\n%s", filepath.Base(bin), tail(logPath))
		}
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop asks the process to shut down (SIGINT), and kills it after 30 s.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		s.done <- <-s.done
	}
}

// tail is the end of a log, for error messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// freePort asks the kernel for an unused loopback port.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// peakRSS is a process's high-water resident set (VmHWM), in bytes.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// procCPU is a process's user and system CPU time so far (from
// /proc/<pid>/stat, in clock ticks of 1/100 s).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	sys, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+sys) * 10 * time.Millisecond
}

// metrics is a scrape of the Prometheus text format: series → value.
type metrics map[string]float64

func parseMetrics(text string) metrics {
	m := metrics{}
	for _, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err == nil {
			m[line[:i]] += v
		}
	}
	return m
}

// sum adds the series of a metric whose labels contain every one of labels.
func (m metrics) sum(name string, labels ...string) float64 {
	var total float64
	for series, v := range m {
		if series != name && !strings.HasPrefix(series, name+"{") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(series, l)
		}
		if ok {
			total += v
		}
	}
	return total
}

func scrape(admin string) (metrics, error) {
	c := http.Client{Timeout: 10 * time.Second}
	res, err := c.Get("http://" + admin + "/metrics")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return parseMetrics(string(b)), nil
}

// processed is how many events reached a handler and succeeded.
func processed(admin string) (float64, error) {
	m, err := scrape(admin)
	if err != nil {
		return 0, err
	}
	return m.sum("webhook_events_processed_total", `outcome="processed"`), nil
}

// freshSchema creates an empty schema on the Postgres server at admin and
// returns a URL that selects it, and a function that drops it.
func freshSchema(ctx context.Context, admin string) (string, func(), error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "webhook_bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", nil, fmt.Errorf("create a schema on TEST_DATABASE_URL: %w", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	drop := func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE")
	}
	return u.String(), drop, nil
}

// postgresVersion is the server's version, for the machine description.
func postgresVersion(ctx context.Context, admin string) string {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "?"
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SHOW server_version").Scan(&v); err != nil {
		return "?"
	}
	return v
}

// redact hides a URL's password.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); ok {
		p.User = url.UserPassword(p.User.Username(), "xxx")
	}
	return p.String()
}

// pinSelf moves every thread of this process to cpu (taskset -a -p).
func pinSelf(cpu string) error {
	out, err := exec.Command("taskset", "-a", "-p", "-c", cpu, strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("taskset: %v: %s", err, out)
	}
	return nil
}
