package prompt

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestFake(t *testing.T) {
	f := &Fake{
		Inputs:       map[string]string{"Module:": "github.com/acme/hooks", "Name:": ""},
		MultiSelects: map[string][]string{"Providers:": {"twilio", "github"}},
		Confirms:     map[string]bool{"Git?": true},
		Errors:       map[string]error{"Stop?": ErrInterrupted},
	}
	if got, err := f.Input("Module:", "", "x", validModule); err != nil || got != "github.com/acme/hooks" {
		t.Errorf("Input = %q, %v", got, err)
	}
	if got, err := f.Input("Name:", "", "hooks", nil); err != nil || got != "hooks" {
		t.Errorf("Input with empty answer = %q, %v; want the default", got, err)
	}
	if got, err := f.MultiSelect("Providers:", "", providers, nil); err != nil || !slices.Equal(got, []string{"github", "twilio"}) {
		t.Errorf("MultiSelect = %q, %v; want option order", got, err)
	}
	if got, err := f.Confirm("Git?", false); err != nil || !got {
		t.Errorf("Confirm = %v, %v", got, err)
	}
	if _, err := f.Confirm("Stop?", false); !errors.Is(err, ErrInterrupted) {
		t.Errorf("scripted error = %v, want ErrInterrupted", err)
	}
	want := []string{"Module:", "Name:", "Providers:", "Git?", "Stop?"}
	if got := f.Asked(); !slices.Equal(got, want) {
		t.Errorf("Asked = %q, want %q", got, want)
	}
}

func TestFakeErrors(t *testing.T) {
	f := &Fake{
		Inputs:       map[string]string{"Module:": "hooks"},
		MultiSelects: map[string][]string{"None:": {}, "Bad:": {"paypal"}},
	}
	checks := []struct {
		name    string
		err     error
		mention string
	}{
		{"unscripted input", second(f.Input("Who?", "", "", nil)), `"Who?"`},
		{"unscripted multiselect", second(f.MultiSelect("Which?", "", providers, nil)), `"Which?"`},
		{"unscripted confirm", second(f.Confirm("Sure?", true)), `"Sure?"`},
		{"invalid input", second(f.Input("Module:", "", "", validModule)), "slash"},
		{"empty selection", second(f.MultiSelect("None:", "", providers, nil)), "at least one"},
		{"unknown option", second(f.MultiSelect("Bad:", "", providers, nil)), `"paypal"`},
	}
	for _, c := range checks {
		if c.err == nil || !strings.Contains(c.err.Error(), c.mention) {
			t.Errorf("%s: error = %v, want one mentioning %s", c.name, c.err, c.mention)
		}
	}
}

func second[T any](_ T, err error) error { return err }
