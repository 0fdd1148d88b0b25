package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store/storetest"
)

// proxy forwards TCP connections to a target until cut, like a network
// between the service and its database that the test controls.
type proxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut closes the listener and every connection: the database is unreachable.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *proxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// The database cut off for real: deliveries get 503 (never a 2xx for an event
// that is not stored), /readyz says so, and the service recovers by itself.
func TestPostgresDownAnswers503AndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dbURL := storetest.Postgres(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.addr
	dir, bin := inboxProject(t)
	logPath := filepath.Join(t.TempDir(), "handler.log")
	s := startBin(t, dir, bin, "DATABASE_URL="+u.String(), "STRIPE_WEBHOOK_SECRET="+stripeSecret, "HANDLER_LOG="+logPath)

	if code, _ := s.sendStripe(stripeEvent(t, dir, "evt_before")); code != http.StatusOK {
		t.Fatalf("before the cut: %d", code)
	}
	px.cut()
	for i := 0; i < 3; i++ {
		code, err := s.sendStripe(stripeEvent(t, dir, "evt_during"))
		if err != nil || code != http.StatusServiceUnavailable {
			t.Fatalf("with the database cut off: %d %v, want 503", code, err)
		}
	}
	if code := get(t, s.url+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database cut off: %d, want 503", code)
	}
	px.restore(t)
	eventually(t, 30*time.Second, "deliveries to succeed again", func() bool {
		code, _ := s.sendStripe(stripeEvent(t, dir, "evt_during"))
		return code == http.StatusOK
	})
	// A job River was fetching when the connection died can be marked
	// running in the database without the answer reaching the worker: it is
	// rescued after rescueAfterSeconds (4 here), at River's next rescuer pass
	// (every 30 s). Delayed, never lost.
	eventually(t, 90*time.Second, "both events to be processed", func() bool {
		l := readHandlerLog(t, logPath)
		return l.count("evt_before", "done") == 1 && l.count("evt_during", "done") == 1
	})
	if code := get(t, s.url+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz after recovery: %d", code)
	}
}

// SQLite on a full file system: 503, nothing half-written, and recovery once
// there is room again. Needs root to mount a small tmpfs.
func TestSQLiteDiskFullAnswers503AndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir, bin := inboxProject(t)
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", data).CombinedOutput(); err != nil {
		msg := "SKIPPED (needs root to mount a tmpfs): " + strings.TrimSpace(string(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", data).Run() })
	logPath := filepath.Join(t.TempDir(), "handler.log")
	s := startBin(t, dir, bin, "STRIPE_WEBHOOK_SECRET="+stripeSecret, "HANDLER_LOG="+logPath)
	if code, _ := s.sendStripe(stripeEvent(t, dir, "evt_before")); code != http.StatusOK {
		t.Fatalf("before the disk filled: %d", code)
	}
	eventually(t, 30*time.Second, "the first event to be processed", func() bool {
		return readHandlerLog(t, logPath).count("evt_before", "done") == 1
	})
	filler := filepath.Join(data, "filler")
	fill(t, filler)
	refused := 0
	var acked []string
	for i := 0; i < 20; i++ {
		id := fmt.Sprintf("evt_full_%d", i)
		code, err := s.sendStripe(stripeEvent(t, dir, id))
		if err != nil {
			t.Fatal(err)
		}
		switch code {
		case http.StatusServiceUnavailable:
			refused++
		case http.StatusOK:
			acked = append(acked, id) // free pages inside the file can still take a row or two
		default:
			t.Fatalf("with the disk full: %d", code)
		}
	}
	if refused == 0 {
		t.Fatal("no delivery was refused with the disk full")
	}
	os.Remove(filler)
	eventually(t, 30*time.Second, "deliveries to succeed again", func() bool {
		code, _ := s.sendStripe(stripeEvent(t, dir, "evt_after"))
		return code == http.StatusOK
	})
	eventually(t, 30*time.Second, "the event after recovery to be processed", func() bool {
		return readHandlerLog(t, logPath).count("evt_after", "done") == 1
	})
	// Every event acknowledged while the disk was full is processed.
	eventually(t, 30*time.Second, "events acknowledged during the outage to be processed", func() bool {
		l := readHandlerLog(t, logPath)
		for _, id := range acked {
			if l.count(id, "done") != 1 {
				return false
			}
		}
		return true
	})
	t.Logf("disk full: %d deliveries refused with 503, %d still stored and processed", refused, len(acked))
}

// fill writes zeros until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			return
		}
	}
}

func get(t *testing.T, u string) int {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
