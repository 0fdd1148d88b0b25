package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/prompt"
	"github.com/create-webhook-handler/create-webhook-handler/generator/version"
)

// Exit codes, everywhere: 0 success, 1 the command ran and found a problem
// (drift, invalid definition, refused overwrite), 2 it could not run.
const (
	exitOK      = 0
	exitProblem = 1
	exitUsage   = 2
	// exitInterrupted is the shell's code for a SIGINT (128+2): Ctrl-C at a prompt.
	exitInterrupted = 130
)

// problem is an error of the "ran and found a problem" kind (exit 1).
type problem struct{ err error }

func (p problem) Error() string { return p.err.Error() }
func (p problem) Unwrap() error { return p.err }

// env is what commands may touch: no globals, so tests run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// prompter is nil when prompting is impossible (not a terminal).
	prompter prompt.Prompter
	catalog  func() (*catalog.Catalog, error)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, catalog: catalog.Default}
	if in, ok := stdin.(*os.File); ok && prompt.IsTerminal(stdin) && prompt.IsTerminal(stdout) {
		e.prompter = prompt.NewSurvey(in, stdout.(*os.File), stderr)
	}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	if errors.Is(err, prompt.ErrInterrupted) {
		fmt.Fprintln(stderr, "interrupted: nothing was written")
		return exitInterrupted
	}
	fmt.Fprintln(stderr, "error:", err)
	var p problem
	if errors.As(err, &p) {
		return exitProblem
	}
	return exitUsage
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "create-webhook-handler",
		Short: "Scaffold production-grade webhook receivers in Go",
		Long: `create-webhook-handler generates a Go service that receives webhooks:
signatures verified for every provider, replays refused, duplicates absorbed,
payloads validated, and each event handed to a handler you own.`,
		Example: `  create-webhook-handler init ./payments --module github.com/acme/payments --provider stripe --provider github
  create-webhook-handler providers list`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
	root.AddCommand(newInit(e), newAdd(e), newRemove(e), newCheck(e), newDiff(e), newValidate(e), newProviders(e), newSign(e), newKeygen(e), newSend(e), newImport(e))
	return root
}
