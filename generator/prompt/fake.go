package prompt

import (
	"fmt"
	"slices"
	"sync"
)

// Fake is a Prompter for tests: it answers from maps keyed by question message
// (keyed, not queued, so reordering questions does not break tests).
// A question with no scripted answer is an error naming it, so tests see
// exactly which prompt was unexpected.
//
// Answers go through the same rules as Survey: an empty Input answer takes the
// default, validate still runs, and MultiSelect answers must be option values
// (returned in option order, at least one).
type Fake struct {
	Inputs       map[string]string
	MultiSelects map[string][]string
	Confirms     map[string]bool
	// Errors makes the named question fail, e.g. with ErrInterrupted to simulate Ctrl-C.
	Errors map[string]error

	mu    sync.Mutex
	asked []string
}

var _ Prompter = (*Fake)(nil)

// Asked returns the messages of the questions asked so far, in order.
func (f *Fake) Asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

// record notes the question and returns its scripted error, if any.
func (f *Fake) record(message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, message)
	return f.Errors[message]
}

func unscripted(kind, message string) error {
	return fmt.Errorf("prompt.Fake: no answer scripted for %s %q", kind, message)
}

// Input implements Prompter.
func (f *Fake) Input(message, help, defaultValue string, validate func(string) error) (string, error) {
	if err := f.record(message); err != nil {
		return "", err
	}
	answer, ok := f.Inputs[message]
	if !ok {
		return "", unscripted("input", message)
	}
	if answer == "" {
		answer = defaultValue
	}
	if validate != nil {
		// No one to re-ask: a rejected scripted answer is a test bug.
		if err := validate(answer); err != nil {
			return "", fmt.Errorf("prompt.Fake: answer %q to %q is invalid: %w", answer, message, err)
		}
	}
	return answer, nil
}

// MultiSelect implements Prompter.
func (f *Fake) MultiSelect(message, help string, options []Option, defaults []string) ([]string, error) {
	if err := f.record(message); err != nil {
		return nil, err
	}
	answer, ok := f.MultiSelects[message]
	if !ok {
		return nil, unscripted("multiselect", message)
	}
	if len(answer) == 0 {
		return nil, fmt.Errorf("prompt.Fake: answer to %q selects nothing; at least one is required", message)
	}
	var values []string
	for _, o := range options {
		if slices.Contains(answer, o.Value) {
			values = append(values, o.Value)
		}
	}
	for _, a := range answer {
		if !slices.Contains(values, a) {
			return nil, fmt.Errorf("prompt.Fake: answer %q to %q is not an option", a, message)
		}
	}
	return values, nil
}

// Confirm implements Prompter.
func (f *Fake) Confirm(message string, defaultValue bool) (bool, error) {
	if err := f.record(message); err != nil {
		return false, err
	}
	answer, ok := f.Confirms[message]
	if !ok {
		return false, unscripted("confirm", message)
	}
	return answer, nil
}
