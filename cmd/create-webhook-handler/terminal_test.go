//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

// End-to-end tests of init's questions on a real pseudo-terminal: run is
// called in-process with a pty as stdin, stdout and stderr, so the CLI takes
// its interactive path (prompt.IsTerminal is true for both) and survey draws
// on a vt10x screen. The harness follows generator/prompt/prompt_test.go.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"golang.org/x/sys/unix"

	"github.com/create-webhook-handler/create-webhook-handler/generator/prompt"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/render"
	"github.com/create-webhook-handler/create-webhook-handler/generator/write"
)

func init() {
	// Plain output so ExpectString can match text without escape codes in
	// between. Set once here, not per test: survey reads it while drawing.
	core.DisableColor = true
}

// Generous bounds: a passing run takes about a second, but a loaded machine
// (-race, parallel builds) can take seconds to load the catalogue before the
// first question. They only bound how long a broken run takes to fail.
const (
	expectTimeout = 20 * time.Second // per Expect call or raw-mode wait
	runTimeout    = 60 * time.Second // a whole run, in case it never returns
)

// lockedBuffer records everything the CLI drew, for assertions and failures.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var ansiRE = regexp.MustCompile(`\x1b(\[[0-9;?]*[A-Za-z]|[78])`)

// plain is the recorded output without escape sequences or carriage returns.
func plain(s string) string {
	return strings.ReplaceAll(ansiRE.ReplaceAllString(s, ""), "\r", "")
}

// screenText is the screen without trailing blanks, for failure messages.
func screenText(screen vt10x.Terminal) string {
	lines := strings.Split(screen.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// runOnTerminal runs the CLI with args on a pseudo-terminal while procedure
// plays the user, and returns the exit code and everything drawn (plain text).
// The screen is a vt10x terminal, which answers survey's cursor-position
// queries (ESC[6n) on a second pty that is copied back into the console as
// keyboard input.
func runOnTerminal(t *testing.T, args []string, procedure func(*expect.Console) error) (int, string) {
	t.Helper()

	ptm, pts, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	screen := vt10x.New(vt10x.WithWriter(pts))
	var drawn lockedBuffer
	c, err := expect.NewConsole(
		expect.WithStdin(ptm),
		expect.WithStdout(screen, &drawn),
		expect.WithCloser(ptm, pts),
		expect.WithDefaultTimeout(expectTimeout),
	)
	if err != nil {
		t.Fatalf("new console: %v", err)
	}
	defer c.Close()

	// raw polls the tty's mode through this descriptor, taken once: calling
	// Fd while the tty is closed would race.
	fd := int(c.Tty().Fd())

	procErr := make(chan error, 1)
	drained := make(chan error, 1)
	go func() {
		err := procedure(c)
		if err != nil && raw(fd) == nil {
			// The prompt is still waiting for keys; Ctrl-C ends it.
			_, _ = c.Send(ctrlC)
		}
		procErr <- err
		// Keep reading, so the screen answers survey's cursor queries, until
		// the tty is closed.
		_, err = c.Expect(expect.EOF, expect.PTSClosed, expect.WithTimeout(runTimeout))
		drained <- err
	}()

	done := make(chan int, 1)
	go func() { done <- run(args, c.Tty(), c.Tty(), c.Tty()) }()

	var code int
	select {
	case code = <-done:
	case <-time.After(runTimeout):
		t.Fatalf("run %q did not return within %v; output:\n%s", args, runTimeout, plain(drawn.String()))
	}
	// The procedure may still be matching output the run wrote before
	// returning; the tty is closed only once it is done with it.
	var perr error
	select {
	case perr = <-procErr:
	case <-time.After(runTimeout):
		t.Fatalf("terminal procedure did not finish within %v; output:\n%s", runTimeout, plain(drawn.String()))
	}
	if err := c.Tty().Close(); err != nil {
		t.Errorf("close tty: %v", err)
	}
	select {
	case err := <-drained:
		if perr != nil {
			t.Errorf("terminal: %v\nscreen:\n%s\noutput:\n%s", perr, screenText(screen), plain(drawn.String()))
		} else if err != nil {
			t.Errorf("expect EOF: %v", err)
		}
	case <-time.After(runTimeout):
		t.Fatalf("terminal did not reach EOF within %v", runTimeout)
	}
	return code, plain(drawn.String())
}

// steps runs console actions in order, stopping at the first error.
func steps(actions ...func(*expect.Console) error) func(*expect.Console) error {
	return func(c *expect.Console) error {
		for _, a := range actions {
			if err := a(c); err != nil {
				return err
			}
		}
		return nil
	}
}

// want waits for s in the output that follows the previous match.
func want(s string) func(*expect.Console) error {
	return func(c *expect.Console) error {
		if _, err := c.ExpectString(s); err != nil {
			return fmt.Errorf("expecting %q: %w", s, err)
		}
		return nil
	}
}

// raw waits until survey has put the tty in raw mode. Survey draws a question
// before switching modes, so keys sent on seeing it could reach a cooked tty,
// which echoes them and turns Ctrl-C into a signal instead of a key.
func raw(fd int) error {
	deadline := time.Now().Add(expectTimeout)
	for {
		t, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
		if err != nil {
			return fmt.Errorf("get termios: %w", err)
		}
		if t.Lflag&unix.ICANON == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("tty never switched to raw mode")
		}
		time.Sleep(time.Millisecond)
	}
}

// send types s once the tty is raw; see raw.
func send(s string) func(*expect.Console) error {
	return func(c *expect.Console) error {
		if err := raw(int(c.Tty().Fd())); err != nil {
			return err
		}
		_, err := c.Send(s)
		return err
	}
}

// interrupt presses Ctrl-C until init says it was interrupted. survey
// v2.3.7 can drop a key that arrives in the same read as its cursor-position
// reply (see the closing notes), so one press may be lost under load; five
// lost in a row would be a real failure.
func interrupt() func(*expect.Console) error {
	return func(c *expect.Console) error {
		for range 5 {
			if err := send(ctrlC)(c); err != nil {
				return err
			}
			if _, err := c.Expect(expect.String("interrupted"), expect.WithTimeout(3*time.Second)); err == nil {
				return nil
			}
		}
		return errors.New("five Ctrl-C presses did not interrupt init")
	}
}

func sendLine(s string) func(*expect.Console) error {
	return func(c *expect.Console) error {
		if err := raw(int(c.Tty().Fd())); err != nil {
			return err
		}
		_, err := c.SendLine(s)
		return err
	}
}

// downs moves the multi-select cursor n options down.
func downs(n int) func(*expect.Console) error {
	return send(strings.Repeat(down, n))
}

var (
	down  = string(terminal.KeyArrowDown)
	ctrlC = string(terminal.KeyInterrupt)
)

const (
	moduleQuestion    = "Go module path of the new service"
	providersQuestion = "Providers to receive webhooks from"
)

func defaultCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	return c
}

func indexOf(t *testing.T, list []string, s string) int {
	t.Helper()
	i := slices.Index(list, s)
	if i < 0 {
		t.Fatalf("%q not in %q", s, list)
	}
	return i
}

func handlerPath(dir, provider, event string) string {
	return filepath.Join(dir, "webhooks", "handlers", provider+"_"+catalog.FileName(event)+".go")
}

func TestInitPromptsOnATerminal(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	names := cat.Names()
	if want := []string{"generic-hmac", "github", "shopify", "stripe"}; !slices.Equal(names, want) {
		// The key presses below are computed from positions, but the
		// scenario was written against this list.
		t.Logf("provider options are %q, written against %q", names, want)
	}
	githubAt, stripeAt := indexOf(t, names, "github"), indexOf(t, names, "stripe")
	if githubAt > stripeAt {
		t.Fatalf("github after stripe in %q; the key presses assume option order", names)
	}
	stripe, _ := cat.Provider("stripe")
	stripeDefaults := stripe.DefaultEvents()
	const dropped = "customer.subscription.created"
	indexOf(t, stripe.EventNames(), dropped)
	if !slices.Contains(stripeDefaults, dropped) {
		t.Fatalf("%s is not a default Stripe event (%q); pick another to deselect", dropped, stripeDefaults)
	}
	wantStripe := slices.DeleteFunc(slices.Clone(stripeDefaults), func(e string) bool { return e == dropped })
	github, _ := cat.Provider("github")
	wantGitHub := github.DefaultEvents()
	if !slices.Contains(wantGitHub, "ping") {
		t.Fatalf("ping is not a default GitHub event (%q); the scenario filters for it", wantGitHub)
	}

	dir := filepath.Join(t.TempDir(), "svc")
	code, out := runOnTerminal(t, []string{"init", dir}, steps(
		want(moduleQuestion),
		sendLine("not a module"),
		want(`Sorry, your reply was invalid: invalid module path "not a module"`),
		want(moduleQuestion), // asked again
		sendLine("example.com/tty"),

		want(providersQuestion),
		want("[ ]  "+names[min(len(names), prompt.MultiSelectPageSize)-1]+" — "), // the first page drawn
		downs(githubAt),
		send(" "),
		want("> [x]  github — GitHub"),
		downs(stripeAt-githubAt),
		send(" "),
		want("> [x]  stripe — Stripe"),
		sendLine(""),

		// One events question per chosen provider, in option order, the
		// catch-all first and the defaults selected. Typing filters the
		// events (hundreds of them) by name or description.
		want("GitHub events"),
		want("> [ ]  * (catch-all) — "),
		send("ping"),
		want("> [x]  ping — "),
		sendLine(""), // keep the defaults

		want("Stripe events"),
		want("* (catch-all) — "),
		send(dropped),
		want(" "+dropped+" — "),
		send(" "), // deselect it
		sendLine(""),
		want("? Stripe events "), // the answer
	))
	if code != exitOK {
		t.Fatalf("exit code %d, want %d; output:\n%s", code, exitOK, out)
	}

	m, err := write.ReadManifest(dir)
	if err != nil || m == nil {
		t.Fatalf("read manifest: %v (manifest %v); output:\n%s", err, m, out)
	}
	if m.Module != "example.com/tty" {
		t.Errorf("manifest module = %q, want example.com/tty", m.Module)
	}
	wantProviders := []render.Selection{
		{Name: "github", Events: wantGitHub},
		{Name: "stripe", Events: wantStripe},
	}
	if !slices.EqualFunc(m.Providers, wantProviders, func(a, b render.Selection) bool {
		return a.Name == b.Name && slices.Equal(a.Events, b.Events)
	}) {
		t.Errorf("manifest providers = %+v, want %+v", m.Providers, wantProviders)
	}

	if _, err := os.Stat(handlerPath(dir, "stripe", dropped)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("handler of deselected event %s: stat error %v, want not exist", dropped, err)
	}
	for _, s := range wantProviders {
		for _, e := range s.Events {
			if _, err := os.Stat(handlerPath(dir, s.Name, e)); err != nil {
				t.Errorf("handler of %s %s: %v", s.Name, e, err)
			}
		}
	}
	if !strings.Contains(out, " created, 0 updated, 0 deleted, 0 unchanged, 0 kept") {
		t.Errorf("no summary of the files written; output:\n%s", out)
	}
}

func TestInitCtrlCWritesNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		procedure func(*expect.Console) error
	}{
		{"at the module question", steps(
			want(moduleQuestion),
			send(ctrlC),
		)},
		{"at an events question", steps(
			want(moduleQuestion),
			sendLine("example.com/tty"),
			want(providersQuestion),
			send(" "), // the first provider
			sendLine(""),
			want(" events"),
			want("[x]  "), // defaults drawn
			interrupt(),
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "svc")
			code, out := runOnTerminal(t, []string{"init", dir}, tt.procedure)
			if code != exitInterrupted || !strings.Contains(out, "interrupted: nothing was written") {
				t.Errorf("exit code %d after Ctrl-C, want %d and a message; output:\n%s", code, exitInterrupted, out)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s after Ctrl-C: stat error %v, want not exist", dir, err)
			}
		})
	}
}

func TestInitNoInputOnATerminalDoesNotPrompt(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "svc")
	// No key is ever sent: had init asked a question, run would wait for an
	// answer until runOnTerminal's timeout fails the test.
	code, out := runOnTerminal(t, []string{"init", dir, "--no-input"}, want("--module"))
	if code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if !strings.Contains(out, "error: no module path: pass --module") {
		t.Errorf("output does not name --module:\n%s", out)
	}
	for _, q := range []string{moduleQuestion, providersQuestion, "? "} {
		if strings.Contains(out, q) {
			t.Errorf("a question was drawn (%q) despite --no-input; output:\n%s", q, out)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: stat error %v, want not exist", dir, err)
	}
}
