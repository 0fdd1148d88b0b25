package merge

import (
	"strings"
	"testing"
)

func TestGoModAddsAndRaisesKeepsTheRest(t *testing.T) {
	disk := []byte(`module example.com/hooks

go 1.26.0

// the user's own
require github.com/acme/lib v1.2.0

require github.com/jackc/pgx/v5 v5.20.0

require modernc.org/sqlite v1.50.0

replace github.com/acme/lib => ../lib
`)
	rendered := []byte(`module example.com/hooks

go 1.26.0

require (
	github.com/jackc/pgx/v5 v5.12.0
	github.com/riverqueue/river v0.51.2
	modernc.org/sqlite v1.62.0
)
`)
	out, err := GoMod(disk, rendered)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"github.com/acme/lib v1.2.0", "replace github.com/acme/lib => ../lib", "// the user's own",
		"github.com/jackc/pgx/v5 v5.20.0", // newer on disk: kept
		"github.com/riverqueue/river v0.51.2",
		"modernc.org/sqlite v1.62.0", // older on disk: raised
	} {
		if !strings.Contains(s, want) {
			t.Errorf("merged go.mod lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "v1.50.0") {
		t.Errorf("old version kept:\n%s", s)
	}
	again, err := GoMod(out, rendered)
	if err != nil || string(again) != s {
		t.Fatalf("a second merge changed the file: %v\n%s", err, again)
	}
}

func TestGoSumUnion(t *testing.T) {
	out := GoSum([]byte("b v1 h1:x\na v1 h1:y\n"), []byte("c v1 h1:z\na v1 h1:y\n"))
	if string(out) != "a v1 h1:y\nb v1 h1:x\nc v1 h1:z\n" {
		t.Fatalf("%q", out)
	}
}

func TestConfigAddsAndRemovesProvidersKeepsUserSettings(t *testing.T) {
	disk := []byte(`{
  "processing": {"workers": 3},
  "providers": {
    "stripe": {"enabled": true, "toleranceSeconds": 120},
    "shopify": {"enabled": false}
  }
}
`)
	rendered := []byte(`{"processing": {"workers": 10}, "providers": {"github": {"enabled": true, "maxAttempts": 8}, "stripe": {"enabled": true, "toleranceSeconds": 300}}}`)
	out, err := Config(disk, rendered)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`"workers": 3`, `"toleranceSeconds": 120`, `"github": {`, `"maxAttempts": 8`} {
		if !strings.Contains(s, want) {
			t.Errorf("merged config lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "shopify") || strings.Contains(s, `"toleranceSeconds": 300`) || strings.Contains(s, `"workers": 10`) {
		t.Errorf("merged config kept a removed provider or overrode a user setting:\n%s", s)
	}
	if again, err := Config(out, rendered); err != nil || string(again) != s {
		t.Fatalf("a second merge changed the file: %v\n%s", err, again)
	}
	if same, _ := Config(disk, []byte(`{"providers": {"stripe": {}, "shopify": {}}}`)); string(same) != string(disk) {
		t.Fatal("a config with nothing to add was rewritten")
	}
	if _, err := Config([]byte("{not json"), rendered); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("invalid config: %v", err)
	}
}
