// Package prompt holds the interactive questions of `create-webhook-handler init`.
// Commands depend on the Prompter interface so they can be tested without a
// terminal: Survey drives a real one, Fake answers from a script.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
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

// MultiSelectPageSize is how many options a multi-select shows at once on a
// terminal whose height is unknown; on one of known height it shows as many
// as fit (at least minPageSize). Lists longer than this are grouped (see
// Survey.MultiSelect).
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
	out   terminal.FileWriter // measured for the page size and the width of labels
}

var _ Prompter = (*Survey)(nil)

// NewSurvey returns a Survey reading keys from in and drawing on out; errOut
// receives survey's own diagnostics.
func NewSurvey(in terminal.FileReader, out terminal.FileWriter, errOut io.Writer) *Survey {
	return &Survey{stdio: survey.WithStdio(in, out, errOut), out: out}
}

// size is the terminal's width and height, zero when unknown (a pseudo-
// terminal nobody sized, or not a terminal).
func (s *Survey) size() (cols, rows int) {
	if s.out == nil {
		return 0, 0
	}
	cols, rows, err := term.GetSize(int(s.out.Fd()))
	if err != nil || cols <= 0 || rows <= 0 {
		return 0, 0
	}
	return cols, rows
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

// MultiSelect implements Prompter. Lists of events, hundreds long, are why
// it shows options as it does:
//   - the catch-all event (Value catalog.Wildcard, "*") comes first, labelled
//     "(catch-all)";
//   - a list longer than MultiSelectPageSize whose values name resources
//     (see resource) is grouped: options of one resource together, in the
//     order the resources first appear, each label behind its resource in a
//     column;
//   - typing filters on the whole value and label (a name and its
//     description), ignoring case, '*' standing for any run of characters
//     (see matches), however the label is cut to fit;
//   - a page is as tall as the terminal allows, and a label as wide: one
//     line per option, so the list redraws cleanly.
//
// Defaults are pre-selected, and the answer is still the values chosen in
// the order of options.
func (s *Survey) MultiSelect(message, help string, options []Option, defaults []string) ([]string, error) {
	if len(options) == 0 {
		return nil, fmt.Errorf("multiselect %q: no options", message)
	}
	index := make(map[string]int, len(options))
	for i, o := range options {
		index[o.Value] = i
	}
	cols, rows := s.size()
	l := arrange(options, cols)
	// Defaults and answers are indices so that labels need not be unique or parseable.
	defaultIdx := make([]int, 0, len(defaults))
	for _, d := range defaults {
		i, ok := index[d]
		if !ok {
			return nil, fmt.Errorf("multiselect %q: default %q is not an option", message, d)
		}
		defaultIdx = append(defaultIdx, l.shownAt[i])
	}
	ms := &multiSelect{
		MultiSelect: &survey.MultiSelect{
			Message: message, Help: help, Options: l.labels, Default: defaultIdx, PageSize: pageSize(rows),
			Filter: func(filter, _ string, shown int) bool {
				return matches(l.full[shown], options[l.order[shown]].Value, filter)
			},
		},
		values: func(picked []core.OptionAnswer) []string { return l.values(options, picked) },
	}
	var picked []core.OptionAnswer
	if err := s.ask(ms, &picked, survey.WithValidator(survey.Required)); err != nil {
		return nil, err
	}
	return l.values(options, picked), nil
}

// multiSelect is survey's, answered with the values chosen rather than
// their labels: long labels of hundreds of events would fill the screen.
type multiSelect struct {
	*survey.MultiSelect
	values func([]core.OptionAnswer) []string
}

// maxAnswerValues is how many values the answer line names before "and N more".
const maxAnswerValues = 8

// Cleanup replaces the question and its options with the answer, as
// survey's does, but names values.
func (m *multiSelect) Cleanup(config *survey.PromptConfig, val any) error {
	picked, _ := val.([]core.OptionAnswer)
	values := m.values(picked)
	answer := strings.Join(values[:min(len(values), maxAnswerValues)], ", ")
	if more := len(values) - maxAnswerValues; more > 0 {
		answer += fmt.Sprintf(" and %d more", more)
	}
	return m.Render(survey.MultiSelectQuestionTemplate, survey.MultiSelectTemplateData{
		MultiSelect: *m.MultiSelect,
		Answer:      answer,
		ShowAnswer:  true,
		Config:      config,
	})
}

// listing is how a MultiSelect shows its options: the option shown i-th is
// options[order[i]] under labels[i], which is full[i] cut to the terminal's
// width; shownAt inverts order.
type listing struct {
	order, shownAt []int
	labels, full   []string
}

// values are the values of the options picked (by shown index), in option order.
func (l listing) values(options []Option, picked []core.OptionAnswer) []string {
	chosen := make([]bool, len(options))
	for _, p := range picked {
		chosen[l.order[p.Index]] = true
	}
	values := make([]string, 0, len(picked))
	for i, o := range options {
		if chosen[i] {
			values = append(values, o.Value)
		}
	}
	return values
}

const (
	// optionIndent is what survey draws before a label: "> [x]  ".
	optionIndent = 7
	// maxGroupWidth bounds the resource column; a longer resource pushes
	// its own label along.
	maxGroupWidth = 24
	// catchAllNote follows the catch-all's name in its label.
	catchAllNote = " (catch-all)"
)

// arrange orders and labels options for a terminal cols wide (0: unknown,
// labels are not cut); see Survey.MultiSelect.
func arrange(options []Option, cols int) listing {
	labels := make([]string, len(options))
	catchAll := -1
	for i, o := range options {
		labels[i] = o.Label
		if labels[i] == "" {
			labels[i] = o.Value
		}
		if o.Value == catalog.Wildcard && catchAll < 0 {
			catchAll = i
			if rest, ok := strings.CutPrefix(labels[i], o.Value); ok {
				labels[i] = o.Value + catchAllNote + rest
			} else {
				labels[i] = strings.TrimSpace(catchAllNote) + " " + labels[i]
			}
		}
	}

	// Resources in the order they first appear, each with its options.
	var resources []string
	members := map[string][]int{}
	for i, o := range options {
		if i == catchAll {
			continue
		}
		r := resource(o.Value)
		if _, seen := members[r]; !seen {
			resources = append(resources, r)
		}
		members[r] = append(members[r], i)
	}
	grouped := len(options) > MultiSelectPageSize && len(resources) > 1
	l := listing{shownAt: make([]int, len(options))}
	if catchAll >= 0 {
		l.order = append(l.order, catchAll)
	}
	if grouped {
		for _, r := range resources {
			l.order = append(l.order, members[r]...)
		}
	} else {
		for i := range options {
			if i != catchAll {
				l.order = append(l.order, i)
			}
		}
	}
	width := 0
	if grouped {
		for _, r := range resources {
			width = max(width, min(len([]rune(r)), maxGroupWidth))
		}
	}
	for shown, i := range l.order {
		l.shownAt[i] = shown
		label := labels[i]
		if grouped {
			r := ""
			if i != catchAll {
				r = resource(options[i].Value)
			}
			label = r + strings.Repeat(" ", max(0, width-len([]rune(r)))) + "  " + label
		}
		l.full = append(l.full, label)
		l.labels = append(l.labels, fit(label, cols-optionIndent-1))
	}
	return l
}

// resource is what an event belongs to: its name up to the last '.' or '/'
// ("customer.subscription" for "customer.subscription.created", "orders"
// for "orders/create"), or "" for a name without one.
func resource(name string) string {
	if i := strings.LastIndexAny(name, "./"); i > 0 {
		return name[:i]
	}
	return ""
}

// fit cuts s to width runes, ending in "…" when cut; a width too narrow to
// be of use leaves s whole (survey wraps it).
func fit(s string, width int) string {
	const narrowest = 20
	r := []rune(s)
	if width < narrowest || len(r) <= width {
		return s
	}
	return string(r[:width-1]) + "…"
}

const (
	// minPageSize is the fewest options a page shows, however low the terminal.
	minPageSize = 3
	// reservedRows are the rows a page leaves to the rest of the question:
	// the question (two when it wraps), its help, the line of an invalid
	// reply, and the cursor's line below the options.
	reservedRows = 5
)

// pageSize is how many options a page shows on a terminal rows high (0:
// unknown).
func pageSize(rows int) int {
	if rows <= 0 {
		return MultiSelectPageSize
	}
	return max(minPageSize, rows-reservedRows)
}

// matches is the MultiSelect filter: whether the text typed occurs in an
// option's label (as shown, before it is cut to fit) or value, ignoring
// case. A '*' in it stands for any run of characters, so "invoice*failed"
// finds "invoice.payment_failed".
func matches(label, value, filter string) bool {
	parts := strings.Split(strings.ToLower(filter), "*")
	return containsInOrder(strings.ToLower(label), parts) || containsInOrder(strings.ToLower(value), parts)
}

// containsInOrder reports whether s contains every part, in order, without overlap.
func containsInOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// Confirm implements Prompter.
func (s *Survey) Confirm(message string, defaultValue bool) (bool, error) {
	var answer bool
	err := s.ask(&survey.Confirm{Message: message, Default: defaultValue}, &answer)
	return answer, err
}
