package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

// server is a generated service running as a process.
type server struct {
	url  string
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan error
}

// generate runs the CLI to create a project in a temporary directory.
func generate(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "svc")
	cli := buildCLI(t)
	run(t, "..", 2*time.Minute, cli, append([]string{"init", dir, "--no-input"}, args...)...)
	return dir
}

var cliPath string

func buildCLI(t *testing.T) string {
	t.Helper()
	if cliPath == "" {
		cliPath = filepath.Join(os.TempDir(), fmt.Sprintf("cwh-e2e-%d", os.Getpid()))
		run(t, "../..", 5*time.Minute, "go", "build", "-o", cliPath, "./cmd/create-webhook-handler")
	}
	return cliPath
}

// build compiles the project's server.
func build(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "server.bin")
	run(t, dir, 5*time.Minute, "go", "build", "-o", bin, "./cmd/server")
	return bin
}

// start builds the project's server and starts it with env on a free port.
func start(t *testing.T, dir string, env ...string) *server {
	t.Helper()
	return startBin(t, dir, build(t, dir), env...)
}

// startBin starts a built server and waits until it is healthy.
func startBin(t *testing.T, dir, bin string, env ...string) *server {
	t.Helper()
	port := freePort(t)
	s := &server{url: "http://127.0.0.1:" + port, log: &syncBuffer{}}
	s.cmd = exec.Command(bin)
	s.cmd.Dir = dir
	// Several servers run at once: each gets its own admin port unless told.
	s.cmd.Env = append(append(os.Environ(), "ADMIN_ADDR=127.0.0.1:0"), append(env, "PORT="+port)...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.done = make(chan error, 1)
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			t.Error("server did not stop within 30 s of SIGINT")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.log)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("server exited: %v\n%s", err, s.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not become healthy: %v\n%s", err, s.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL: no shutdown, no cleanup.
func (s *server) kill(t *testing.T) {
	t.Helper()
	s.cmd.Process.Kill()
	<-s.done
	s.done <- nil // for Cleanup
}

// syncBuffer is a bytes.Buffer safe for the process's writes and our reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (s *server) post(t *testing.T, path string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func run(t *testing.T, dir string, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The acceptance test: a Stripe event signed by stripe-go is
// accepted by the generated server; the same with one byte changed is refused.
func TestGeneratedServerAcceptsStripeGoSignature(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir := generate(t, "--module", "example.com/demo", "--provider", "stripe", "--provider", "github", "--provider", "shopify")
	const secret = "whsec_e2e_test_secret"
	s := start(t, dir, "STRIPE_WEBHOOK_SECRET="+secret, "GITHUB_WEBHOOK_SECRET=gh", "SHOPIFY_WEBHOOK_SECRET=shp")

	payload, err := os.ReadFile(filepath.Join(dir, "testdata/events/stripe/payment_intent_succeeded.json"))
	if err != nil {
		t.Fatal(err)
	}
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()})
	headers := map[string]string{"Stripe-Signature": signed.Header}

	code, body := s.post(t, "/webhooks/stripe", signed.Payload, headers)
	if code != http.StatusOK || !strings.Contains(body, `"received":true`) {
		t.Fatalf("stripe-go signed event: %d %s", code, body)
	}
	code, body = s.post(t, "/webhooks/stripe", signed.Payload, headers)
	if code != http.StatusOK || !strings.Contains(body, `"duplicate":true`) {
		t.Fatalf("second delivery: %d %s, want a duplicate", code, body)
	}
	tampered := bytes.Clone(signed.Payload)
	i := bytes.Index(tampered, []byte(`"amount"`)) + len(`"amount": `)
	tampered[i] ^= 1 // one digit of the amount
	code, body = s.post(t, "/webhooks/stripe", tampered, headers)
	if code != http.StatusUnauthorized {
		t.Fatalf("tampered event: %d %s, want 401", code, body)
	}
	// The log has one line per delivery, never the payload or the secret.
	time.Sleep(100 * time.Millisecond)
	logText := s.log.String()
	for _, secretish := range []string{secret, `"amount"`} {
		if strings.Contains(logText, secretish) {
			t.Errorf("the log contains %q", secretish)
		}
	}
	deliveries := 0
	sc := bufio.NewScanner(strings.NewReader(logText))
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"msg":"webhook delivery"`) {
			deliveries++
		}
	}
	if deliveries != 3 {
		t.Errorf("%d delivery log lines, want 3:\n%s", deliveries, logText)
	}
}

// Without its secret, the server refuses to start and names the variable.
func TestGeneratedServerRefusesToStartWithoutSecret(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir := generate(t, "--module", "example.com/nosecret", "--provider", "github=push")
	build(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./server.bin")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GITHUB_WEBHOOK_SECRET=", "PORT="+freePort(t))
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("server started without a secret:\n%s", out)
	}
	if !strings.Contains(string(out), "GITHUB_WEBHOOK_SECRET is not set") {
		t.Fatalf("error does not name the variable:\n%s", out)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cliPath != "" {
		os.Remove(cliPath)
	}
	os.Exit(code)
}

func execCommand(dir, bin string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}
