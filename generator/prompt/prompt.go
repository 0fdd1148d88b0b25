// Package prompt holds the interactive questions of `create-webhook-handler init`.
// Commands depend on the Prompter interface so they can be tested without a
// terminal: Survey drives a real one, Fake answers from a script.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"
)

// Prompter asks the user questions. Implementations: Survey (a real terminal) and tests' fakes.
type Prompter interface {
	// Input asks for a line of text. An empty reply takes defaultValue.
	// validate may be nil; otherwise a reply it rejects is reported and asked again.
	Input(message, help, defaultValue string, validate func(string) error) (string, error)
	// MultiSelect returns the selected Option.Value in option order; at least one is required.
	MultiSelect(message, help string, options []Option, defaults []string) ([]string, error)
	// Confirm asks a yes/no question.
	Confirm(message string, defaultValue bool) (bool, error)
}

// Option is one choice of a MultiSelect: Label is shown, Value is returned.
type Option struct{ Value, Label string }

// MultiSelectPageSize is how many options a multi-select shows at once.
const MultiSelectPageSize = 12

// ErrInterrupted is returned when the user presses Ctrl-C.
var ErrInterrupted = errors.New("interrupted")

// IsTerminal reports whether f is an *os.File connected to a terminal.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && file != nil && term.IsTerminal(int(file.Fd()))
}

// Survey is a Prompter on a real terminal, backed by github.com/AlecAivazis/survey.
// Survey honours NO_COLOR (and CLICOLOR=0) itself.
type Survey struct {
	stdio survey.AskOpt
}

var _ Prompter = (*Survey)(nil)

// NewSurvey returns a Survey reading keys from in and drawing on out; errOut
// receives survey's own diagnostics.
func NewSurvey(in terminal.FileReader, out terminal.FileWriter, errOut io.Writer) *Survey {
	return &Survey{stdio: survey.WithStdio(in, out, errOut)}
}

func (s *Survey) ask(p survey.Prompt, answer any, opts ...survey.AskOpt) error {
	err := survey.AskOne(p, answer, append([]survey.AskOpt{s.stdio}, opts...)...)
	if errors.Is(err, terminal.InterruptErr) {
		return ErrInterrupted
	}
	return err
}

// Input implements Prompter.
func (s *Survey) Input(message, help, defaultValue string, validate func(string) error) (string, error) {
	var opts []survey.AskOpt
	if validate != nil {
		// A validator (not a check after AskOne) makes survey show the error and re-ask.
		opts = append(opts, survey.WithValidator(func(ans any) error {
			str, _ := ans.(string)
			return validate(str)
		}))
	}
	var answer string
	err := s.ask(&survey.Input{Message: message, Help: help, Default: defaultValue}, &answer, opts...)
	return answer, err
}

// MultiSelect implements Prompter.
func (s *Survey) MultiSelect(message, help string, options []Option, defaults []string) ([]string, error) {
	if len(options) == 0 {
		return nil, fmt.Errorf("multiselect %q: no options", message)
	}
	labels := make([]string, len(options))
	index := make(map[string]int, len(options))
	for i, o := range options {
		labels[i] = o.Label
		if labels[i] == "" {
			labels[i] = o.Value
		}
		index[o.Value] = i
	}
	// Defaults and answers are indices so that labels need not be unique or parseable.
	defaultIdx := make([]int, 0, len(defaults))
	for _, d := range defaults {
		i, ok := index[d]
		if !ok {
			return nil, fmt.Errorf("multiselect %q: default %q is not an option", message, d)
		}
		defaultIdx = append(defaultIdx, i)
	}
	// Tall enough to show a provider's events at once; longer lists scroll,
	// and typing filters them.
	ms := &survey.MultiSelect{Message: message, Help: help, Options: labels, Default: defaultIdx, PageSize: MultiSelectPageSize}
	var picked []core.OptionAnswer
	if err := s.ask(ms, &picked, survey.WithValidator(survey.Required)); err != nil {
		return nil, err
	}
	// survey reports answers in option order; build values from a mask to guarantee it.
	chosen := make([]bool, len(options))
	for _, p := range picked {
		chosen[p.Index] = true
	}
	values := make([]string, 0, len(picked))
	for i, o := range options {
		if chosen[i] {
			values = append(values, o.Value)
		}
	}
	return values, nil
}

// Confirm implements Prompter.
func (s *Survey) Confirm(message string, defaultValue bool) (bool, error) {
	var answer bool
	err := s.ask(&survey.Confirm{Message: message, Default: defaultValue}, &answer)
	return answer, err
}
