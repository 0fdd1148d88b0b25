//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package prompt

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"golang.org/x/sys/unix"
)

func init() {
	// Plain output so ExpectString can match text without escape codes in between.
	core.DisableColor = true
}

const (
	expectTimeout = 5 * time.Second  // per Expect call
	promptTimeout = 15 * time.Second // whole prompt, in case it never returns
)

// runTest drives a Survey through a real pseudo-terminal, as survey's own
// tests do. The console's screen is a vt10x terminal, which answers survey's
// cursor-position queries (ESC[6n) on a second pty that is copied back into the
// console as keyboard input.
func runTest(t *testing.T, procedure func(*expect.Console) error, test func(*Survey) error) {
	t.Helper()
	runTestSized(t, 0, 0, procedure, test)
}

// runTestSized is runTest on a terminal cols wide and rows high. 0×0 leaves
// the pseudo-terminal unsized, as a new one is, so Survey knows no size.
func runTestSized(t *testing.T, cols, rows int, procedure func(*expect.Console) error, test func(*Survey) error) {
	t.Helper()
	t.Parallel()

	ptm, pts, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	screenOpts := []vt10x.TerminalOption{vt10x.WithWriter(pts)}
	if cols > 0 && rows > 0 {
		screenOpts = append(screenOpts, vt10x.WithSize(cols, rows))
	}
	screen := vt10x.New(screenOpts...)
	c, err := expect.NewConsole(
		expect.WithStdin(ptm),
		expect.WithStdout(screen),
		expect.WithCloser(ptm, pts),
		expect.WithDefaultTimeout(expectTimeout),
	)
	if err != nil {
		t.Fatalf("new console: %v", err)
	}
	defer c.Close()
	if cols > 0 && rows > 0 {
		// The console's own tty is the terminal Survey draws on and measures.
		if err := pty.Setsize(c.Tty(), &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
			t.Fatalf("size the tty: %v", err)
		}
	}

	procErr := make(chan error, 1)
	drained := make(chan error, 1)
	go func() {
		err := procedure(c)
		procErr <- err
		if err != nil && raw(c) == nil {
			// The prompt is still waiting for keys; Ctrl-C ends it.
			_, _ = c.Send(ctrlC)
		}
		// Keep reading, so the screen answers survey's cursor queries, until
		// the prompt side closes the tty.
		_, err = c.Expect(expect.EOF, expect.PTSClosed, expect.WithTimeout(promptTimeout))
		drained <- err
	}()

	testErr := make(chan error, 1)
	go func() { testErr <- test(NewSurvey(c.Tty(), c.Tty(), c.Tty())) }()

	select {
	case err := <-testErr:
		if err != nil {
			t.Errorf("prompt: %v", err)
		}
	case <-time.After(promptTimeout):
		t.Fatalf("prompt did not return within %v; screen:\n%s", promptTimeout, text(screen))
	}
	if err := c.Tty().Close(); err != nil {
		t.Errorf("close tty: %v", err)
	}
	select {
	case err := <-drained:
		if perr := <-procErr; perr != nil {
			t.Errorf("terminal: %v; screen:\n%s", perr, text(screen))
		} else if err != nil {
			t.Errorf("expect EOF: %v", err)
		}
	case <-time.After(promptTimeout):
		t.Fatalf("terminal procedure did not finish within %v", promptTimeout)
	}
}

// text is the screen without trailing blanks, for failure messages.
func text(screen vt10x.Terminal) string {
	lines := strings.Split(screen.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
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
func raw(c *expect.Console) error {
	fd := int(c.Tty().Fd())
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
		if err := raw(c); err != nil {
			return err
		}
		_, err := c.Send(s)
		return err
	}
}

func sendLine(s string) func(*expect.Console) error {
	return func(c *expect.Console) error {
		if err := raw(c); err != nil {
			return err
		}
		_, err := c.SendLine(s)
		return err
	}
}

var (
	down  = string(terminal.KeyArrowDown)
	up    = string(terminal.KeyArrowUp)
	right = string(terminal.KeyArrowRight)
	left  = string(terminal.KeyArrowLeft)
	ctrlC = string(terminal.KeyInterrupt)
)

func validModule(s string) error {
	if !strings.Contains(s, "/") {
		return errors.New("module path must contain a slash")
	}
	return nil
}

func TestSurveyInput(t *testing.T) {
	const q = "Go module path:"
	tests := []struct {
		name      string
		procedure func(*expect.Console) error
		want      string
	}{
		{
			name: "typed",
			procedure: steps(
				want(q+" [? for help] (example.com/hooks)"),
				sendLine("github.com/acme/hooks"),
			),
			want: "github.com/acme/hooks",
		},
		{
			name: "invalid then valid",
			procedure: steps(
				want(q),
				sendLine("hooks"),
				want("Sorry, your reply was invalid: module path must contain a slash"),
				want(q), // asked again
				sendLine("github.com/acme/hooks"),
			),
			want: "github.com/acme/hooks",
		},
		{
			name: "empty takes default",
			procedure: steps(
				want(q+" [? for help] (example.com/hooks)"),
				sendLine(""),
			),
			want: "example.com/hooks",
		},
		{
			name: "help",
			procedure: steps(
				want("? for help"),
				sendLine("?"),
				want("The import path of the generated module"),
				sendLine("github.com/acme/hooks"),
			),
			want: "github.com/acme/hooks",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			runTest(t, tt.procedure, func(s *Survey) (err error) {
				got, err = s.Input(q, "The import path of the generated module.", "example.com/hooks", validModule)
				return err
			})
			if got != tt.want {
				t.Errorf("Input = %q, want %q", got, tt.want)
			}
		})
	}
}

var providers = []Option{
	{Value: "github", Label: "github — GitHub"},
	{Value: "stripe", Label: "stripe — Stripe"},
	{Value: "slack", Label: "slack — Slack"},
	{Value: "twilio", Label: "twilio — Twilio"},
}

func TestSurveyMultiSelect(t *testing.T) {
	const q = "Providers:"
	tests := []struct {
		name      string
		defaults  []string
		procedure func(*expect.Console) error
		want      []string
	}{
		{
			name:     "defaults kept",
			defaults: []string{"twilio", "stripe"},
			procedure: steps(
				want("[x]  stripe — Stripe"),
				want("[x]  twilio — Twilio"),
				sendLine(""),
				want(q+" stripe, twilio"), // the answer names values, not labels
			),
			want: []string{"stripe", "twilio"}, // option order, not defaults order
		},
		{
			name:     "arrows and space",
			defaults: []string{"stripe"},
			procedure: steps(
				want("[ ]  twilio — Twilio"),
				send(" "),    // toggle github on
				send(down),   // stripe
				send(" "),    // toggle stripe off
				send(down),   // slack
				send(down),   // twilio
				send(" "),    // toggle twilio on
				send(up),     // slack
				sendLine(""), // submit
			),
			want: []string{"github", "twilio"},
		},
		{
			name: "right selects all",
			procedure: steps(
				want("<right> to all"),
				send(right),
				want("[x]  twilio — Twilio"),
				sendLine(""),
			),
			want: []string{"github", "stripe", "slack", "twilio"},
		},
		{
			name:     "left selects none, then one is required",
			defaults: []string{"github", "slack"},
			procedure: steps(
				want("[x]  slack — Slack"),
				send(left),
				want("[ ]  slack — Slack"),
				sendLine(""),
				want("Sorry, your reply was invalid: Value is required"),
				want(q), // asked again, with the defaults selected again
				want("[x]  slack — Slack"),
				send(down),
				sendLine(" "),
			),
			want: []string{"github", "stripe", "slack"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			runTest(t, tt.procedure, func(s *Survey) (err error) {
				got, err = s.MultiSelect(q, "", providers, tt.defaults)
				return err
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("MultiSelect = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSurveyMultiSelectManyEvents(t *testing.T) {
	options, defaults := manyEvents()
	if len(options) != 301 {
		t.Fatalf("%d options", len(options))
	}
	const q = "Events:"
	// The resource column is as wide as the longest resource.
	col := func(resource string) string { return fmt.Sprintf("%-21s  ", resource) }
	var got []string
	// 80×24: a page of 19 options, labels cut to 72 columns.
	runTestSized(t, 80, 24, steps(
		// The catch-all first, with the cursor on it; then the defaults,
		// grouped, which the first page shows.
		want("> [ ]  "+col("")+"* (catch-all) — Every other event; branch on its…"),
		want("  [x]  "+col("res00")+"res00.created — Occurs whenever a res00 is creat…"),
		want("  [ ]  "+col("res00")+"res00.updated — "),
		want("  [x]  "+col("res01.sub")+"res01.sub.created — "),
		send(" "), // select the catch-all
		want("> [x]"),
		// Typing filters on descriptions too...
		send("vanished"),
		want(q+" vanished"),
		want("> [ ]  "+col("res05")+"res05.expired — The object vanished."),
		send(" "),
		// ... and on names, '*' spanning any run.
		send("res13*sub*fail"),
		want(q+" res13*sub*fail"),
		want("> [ ]  "+col("res13.sub")+"res13.sub.payment_failed — "),
		send(" "),
		// <right> selects all the filter shows: here, what "customer."
		// matches, the customer.subscription events.
		send("customer."),
		want(q+" customer."),
		want(col("customer.subscription")+"customer.subscription.reopened"),
		send(right),
		sendLine(""),
		// The answer names values, in option order, the first eight only.
		want(q+" res00.created, res01.sub.created, res02.created, customer.subscription.created, "+
			"customer.subscription.updated, customer.subscription.deleted, customer.subscription.paid, res13.sub.payment_failed and 8 more"),
	), func(s *Survey) (err error) {
		got, err = s.MultiSelect(q, "", options, defaults)
		return err
	})
	chosen := append([]string{"*", "res05.expired", "res13.sub.payment_failed"}, defaults...)
	var want []string
	for _, o := range options {
		if slices.Contains(chosen, o.Value) || strings.HasPrefix(o.Value, "customer.subscription.") {
			want = append(want, o.Value)
		}
	}
	if len(want) != 16 {
		t.Fatalf("the test expects %d values: %q", len(want), want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("MultiSelect =\n%q\nwant (option order)\n%q", got, want)
	}
}

func TestSurveyMultiSelectUnknownDefault(t *testing.T) {
	// Fails before touching the terminal, so no pty is needed.
	s := NewSurvey(os.Stdin, os.Stdout, os.Stderr)
	if _, err := s.MultiSelect("Providers:", "", providers, []string{"paypal"}); err == nil {
		t.Fatal("MultiSelect with an unknown default: want error, got nil")
	}
}

func TestSurveyConfirm(t *testing.T) {
	const q = "Initialise a git repository?"
	tests := []struct {
		name      string
		def       bool
		procedure func(*expect.Console) error
		want      bool
	}{
		{"yes", false, steps(want(q+" (y/N)"), sendLine("y")), true},
		{"no", true, steps(want(q+" (Y/n)"), sendLine("n")), false},
		{"default true", true, steps(want(q+" (Y/n)"), sendLine("")), true},
		{"default false", false, steps(want(q+" (y/N)"), sendLine("")), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := !tt.want // so a prompt that never answers fails
			runTest(t, tt.procedure, func(s *Survey) (err error) {
				got, err = s.Confirm(q, tt.def)
				return err
			})
			if got != tt.want {
				t.Errorf("Confirm = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSurveyInterrupt(t *testing.T) {
	tests := []struct {
		name string
		wait string
		ask  func(*Survey) error
	}{
		{"input", "Module:", func(s *Survey) error {
			_, err := s.Input("Module:", "", "", nil)
			return err
		}},
		{"multiselect", "[ ]  github — GitHub", func(s *Survey) error {
			_, err := s.MultiSelect("Providers:", "", providers, nil)
			return err
		}},
		{"confirm", "Continue?", func(s *Survey) error {
			_, err := s.Confirm("Continue?", true)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got error
			runTest(t, steps(want(tt.wait), send(ctrlC)), func(s *Survey) error {
				got = tt.ask(s)
				return nil // checked below
			})
			if !errors.Is(got, ErrInterrupted) {
				t.Errorf("error = %v, want ErrInterrupted", got)
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	ptm, pts, err := pty.Open()
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	defer ptm.Close()
	defer pts.Close()
	if !IsTerminal(pts) {
		t.Error("IsTerminal(pty) = false, want true")
	}
	f, err := os.CreateTemp(t.TempDir(), "notatty")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, v := range []any{f, nil, (*os.File)(nil), strings.NewReader("")} {
		if IsTerminal(v) {
			t.Errorf("IsTerminal(%T) = true, want false", v)
		}
	}
}
