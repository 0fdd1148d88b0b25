package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store/storetest"
)

const stripeSecret = "whsec_e2e_inbox"

// testHandler replaces the scaffolded Stripe handler, as a user would edit
// it: it logs "pid start|done|fail id" lines to a file outside the process,
// can be slowed down, and fails while a flag file exists.
const testHandler = `package handlers

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"MODULE/webhooks/event"
	stripeevents "MODULE/webhooks/events/stripe"
)

func StripePaymentIntentSucceeded(ctx context.Context, ev *event.Event, data *stripeevents.PaymentIntentSucceededEvent) error {
	note("start", ev.ID)
	if d, err := time.ParseDuration(os.Getenv("HANDLER_SLEEP")); err == nil {
		time.Sleep(d)
	}
	if _, err := os.Stat(os.Getenv("HANDLER_FAIL_FLAG")); err == nil {
		note("fail", ev.ID)
		return errors.New("the handler was told to fail")
	}
	note("done", ev.ID)
	return nil
}

func note(what, id string) {
	f, err := os.OpenFile(os.Getenv("HANDLER_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%d %s %s\n", os.Getpid(), what, id)
}
`

const testConfig = `{
  "processing": {"workers": 10, "jobTimeoutSeconds": 2, "rescueAfterSeconds": 4, "retryBaseMillis": 50, "pollIntervalMillis": 20},
  "providers": {"stripe": {"maxAttempts": 3}}
}
`

// inboxProject generates a Stripe service with the test handler and config.
func inboxProject(t *testing.T) (dir, bin string) {
	t.Helper()
	dir = generate(t, "--module", "example.com/inbox", "--provider", "stripe=payment_intent.succeeded")
	writeFile(t, filepath.Join(dir, "webhooks/handlers/stripe_payment_intent_succeeded.go"), strings.ReplaceAll(testHandler, "MODULE", "example.com/inbox"))
	writeFile(t, filepath.Join(dir, "config/webhooks.json"), testConfig)
	return dir, build(t, dir)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// handlerLog is what the test handler wrote: per event id, the pids and
// what each run did.
type handlerLog map[string][]string

func readHandlerLog(t *testing.T, path string) handlerLog {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := handlerLog{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 {
			out[f[2]] = append(out[f[2]], f[0]+" "+f[1])
		}
	}
	return out
}

func (l handlerLog) count(id, what string) int {
	n := 0
	for _, e := range l[id] {
		if strings.HasSuffix(e, " "+what) {
			n++
		}
	}
	return n
}

// waitProcessed waits until the handler has finished each event at least once.
func waitProcessed(t *testing.T, logPath string, ids []string) {
	t.Helper()
	eventually(t, 60*time.Second, "every acknowledged event to be processed", func() bool {
		l := readHandlerLog(t, logPath)
		for _, id := range ids {
			if l.count(id, "done") == 0 {
				return false
			}
		}
		return true
	})
}

// stripeEvent is the sample payment_intent.succeeded with its own id.
func stripeEvent(t *testing.T, dir, id string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "testdata/events/stripe/payment_intent_succeeded.json"))
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`"id": "evt_[A-Za-z0-9]+"`).ReplaceAll(b, []byte(`"id": "`+id+`"`))
}

func (s *server) sendStripe(body []byte) (int, error) {
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: stripeSecret, Timestamp: time.Now()})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/stripe", bytes.NewReader(signed.Payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signed.Header)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func backendEnv(t *testing.T, b storetest.Backend) []string {
	url, _ := b.Fresh(t)
	return []string{"DATABASE_URL=" + url, "STRIPE_WEBHOOK_SECRET=" + stripeSecret, "LOG_FORMAT=json"}
}

// 200 deliveries of one event at the same moment, to the built server: all
// acknowledged, one handler call, counted outside the process.
func TestConcurrentDeliveriesOneHandlerCall(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir, bin := inboxProject(t)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		logPath := filepath.Join(t.TempDir(), "handler.log")
		s := startBin(t, dir, bin, append(backendEnv(t, b), "HANDLER_LOG="+logPath)...)
		body := stripeEvent(t, dir, "evt_concurrent_1")
		var wg sync.WaitGroup
		codes := make(chan int, 200)
		start := make(chan struct{})
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				code, err := s.sendStripe(body)
				if err != nil {
					t.Error(err)
				}
				codes <- code
			}()
		}
		close(start)
		wg.Wait()
		close(codes)
		for c := range codes {
			if c != http.StatusOK {
				t.Fatalf("a delivery got %d", c)
			}
		}
		eventually(t, 30*time.Second, "the handler to run", func() bool { return readHandlerLog(t, logPath).count("evt_concurrent_1", "done") >= 1 })
		time.Sleep(time.Second) // room for a second, wrong, call to show up
		if n := readHandlerLog(t, logPath).count("evt_concurrent_1", "start"); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
	})
}

// A handler that fails is retried, then dead-lettered after the configured
// attempts; after the fix, the operator replays it and it is processed.
func TestRetryDeadLetterReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir, bin := inboxProject(t)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		tmp := t.TempDir()
		logPath, flag := filepath.Join(tmp, "handler.log"), filepath.Join(tmp, "fail")
		writeFile(t, flag, "fail")
		env := append(backendEnv(t, b), "HANDLER_LOG="+logPath, "HANDLER_FAIL_FLAG="+flag)
		s := startBin(t, dir, bin, env...)
		if code, err := s.sendStripe(stripeEvent(t, dir, "evt_failing_1")); err != nil || code != http.StatusOK {
			t.Fatalf("delivery: %d %v", code, err)
		}
		eventually(t, 30*time.Second, "the event to be dead", func() bool {
			return strings.Contains(operator(t, dir, bin, env, "events", "list", "--state", "dead"), "evt_failing_1")
		})
		if n := readHandlerLog(t, logPath).count("evt_failing_1", "fail"); n != 3 {
			t.Fatalf("handler failed %d times before the event was dead, want 3 (maxAttempts)", n)
		}
		os.Remove(flag) // the fix
		out := operator(t, dir, bin, env, "events", "replay", "--all-dead")
		if !strings.Contains(out, "1 event(s) queued again") {
			t.Fatalf("replay said %q", out)
		}
		eventually(t, 30*time.Second, "the replayed event to be processed", func() bool {
			return strings.Contains(operator(t, dir, bin, env, "events", "list", "--state", "processed"), "evt_failing_1")
		})
		if n := readHandlerLog(t, logPath).count("evt_failing_1", "done"); n != 1 {
			t.Fatalf("replayed handler succeeded %d times, want 1", n)
		}
		show := operator(t, dir, bin, env, "events", "show", "1")
		for _, want := range []string{"state:     processed", "attempts:  1", "evt_failing_1", "header:    Content-Type: application/json"} {
			if !strings.Contains(show, want) {
				t.Fatalf("events show lacks %q:\n%s", want, show)
			}
		}
		_ = s
	})
}

// operator runs the server binary's operator commands.
func operator(t *testing.T, dir, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := execCommand(dir, bin, env, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The process is killed mid-stream with SIGKILL and restarted: every event
// that got a 2xx is in the inbox and processed, exactly once, except events
// whose handler was running at the moment of the kill, which may run again.
func TestCrashLosesNoAcknowledgedEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs a generated server")
	}
	dir, bin := inboxProject(t)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		logPath := filepath.Join(t.TempDir(), "handler.log")
		env := append(backendEnv(t, b), "HANDLER_LOG="+logPath, "HANDLER_SLEEP=20ms")
		s := startBin(t, dir, bin, env...)

		var mu sync.Mutex
		acked := map[string]bool{}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("evt_crash_%d_%d", w, i)
					code, err := s.sendStripe(stripeEvent(t, dir, id))
					if err != nil {
						return // the server is gone
					}
					if code == http.StatusOK {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		s.kill(t)
		close(stop)
		wg.Wait()
		firstPid := s.cmd.Process.Pid
		if len(acked) < 20 {
			t.Fatalf("only %d events acknowledged before the kill; the test needs a stream", len(acked))
		}

		startBin(t, dir, bin, env...)
		waitProcessed(t, logPath, slices.Collect(maps.Keys(acked)))
		l := readHandlerLog(t, logPath)
		again := 0
		for id := range acked {
			if l.count(id, "done") == 1 {
				continue
			}
			// Run twice: allowed only if a run was under way in the killed process.
			inFlight := false
			for _, e := range l[id] {
				if strings.HasPrefix(e, fmt.Sprint(firstPid)+" ") {
					inFlight = true
				}
			}
			if !inFlight {
				t.Errorf("%s ran %d times without having been in flight at the kill: %v", id, l.count(id, "done"), l[id])
			}
			again++
		}
		if again > 10 { // at most the workers that were busy (testConfig: 10)
			t.Errorf("%d events ran twice; only those in flight at the kill may", again)
		}
		t.Logf("%d events acknowledged before SIGKILL, all processed after the restart; %d ran again", len(acked), again)
	})
}

// Two server processes on one Postgres database share the work, and no event
// is processed twice.
func TestTwoReplicasShareOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: builds and runs generated servers")
	}
	dir, bin := inboxProject(t)
	logPath := filepath.Join(t.TempDir(), "handler.log")
	env := append(backendEnv(t, storetest.Backend{Name: "postgres"}), "HANDLER_LOG="+logPath, "HANDLER_SLEEP=30ms")
	a := startBin(t, dir, bin, env...)
	b := startBin(t, dir, bin, env...)
	var ids []string
	for i := 0; i < 120; i++ {
		id := fmt.Sprintf("evt_replica_%d", i)
		ids = append(ids, id)
		s := a
		if i%2 == 1 {
			s = b
		}
		if code, err := s.sendStripe(stripeEvent(t, dir, id)); err != nil || code != http.StatusOK {
			t.Fatalf("%s: %d %v", id, code, err)
		}
	}
	waitProcessed(t, logPath, ids)
	time.Sleep(500 * time.Millisecond)
	l := readHandlerLog(t, logPath)
	byPid := map[string]int{}
	for _, id := range ids {
		if n := l.count(id, "start"); n != 1 {
			t.Errorf("%s ran %d times, want 1: %v", id, n, l[id])
		}
		byPid[strings.Fields(l[id][0])[0]]++
	}
	if len(byPid) != 2 {
		t.Fatalf("work done by %d process(es), want both: %v", len(byPid), byPid)
	}
	t.Logf("events processed per process: %v", byPid)
}
