package verify

// The conformance record: each test that proves a provider's verification
// against something other than our own signer says so with proven(), and
// schemas/conformance.json is what a complete run of this package proved.
// `providers list` shows it, so the claim in the CLI is the one the tests
// make. Refresh with UPDATE_CONFORMANCE=1 go test ./templates/runtime/verify
// (make conformance); a complete run fails when the file differs.

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// How a provider's verification was proven, strongest first.
const (
	bySDK        = "sdk"        // the provider's own SDK, both directions
	byDocumented = "documented" // a published example (docs, or the SDK's own test vectors)
	byDerived    = "derived"    // computed from the documented algorithm with an independent tool
)

type proof struct {
	Provider string `json:"provider"`
	Method   string `json:"method"`
	Source   string `json:"source"`
}

var (
	proofsMu sync.Mutex
	proofs   = map[proof]bool{}
)

// proven records that provider's verification was checked by method
// against source. Call it after the checks, so a failing test records
// nothing it did not prove.
func proven(t *testing.T, provider, method, source string) {
	t.Helper()
	if t.Failed() {
		return
	}
	proofsMu.Lock()
	defer proofsMu.Unlock()
	proofs[proof{provider, method, source}] = true
}

// checkDefinition fails the test unless providers/<name>.json describes
// exactly the scheme the test checks, and that scheme is valid.
func checkDefinition(t *testing.T, name string, s Scheme) {
	t.Helper()
	if got := definitionScheme(t, name); !reflect.DeepEqual(got, s) {
		t.Fatalf("providers/%s.json describes %#v, the test uses %#v", name, got, s)
	}
	v, ok := s.(interface{ Validate() error })
	if !ok {
		t.Fatalf("%T has no Validate", s)
	}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
}

var conformanceFile = filepath.Join("..", "..", "..", "schemas", "conformance.json")

// definitionScheme is the scheme providers/<name>.json describes, read
// through Spec exactly as the generator reads it: a test that checks its
// scheme against it checks what generated services run.
func definitionScheme(t *testing.T, name string) Scheme {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "providers", name+".json"))
	if err != nil {
		t.Fatalf("read definition: %v", err)
	}
	var def struct {
		Signature Spec `json:"signature"`
	}
	if err := json.Unmarshal(b, &def); err != nil {
		t.Fatalf("providers/%s.json: %v", name, err)
	}
	s, err := def.Signature.Build()
	if err != nil {
		t.Fatalf("providers/%s.json: %v", name, err)
	}
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && complete() {
		if err := checkConformance(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// complete reports whether every test ran (no -run filter, no -short).
func complete() bool {
	run := flag.Lookup("test.run")
	return (run == nil || run.Value.String() == "") && !testing.Short()
}

func checkConformance() error {
	list := make([]proof, 0, len(proofs))
	for p := range proofs {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Provider != b.Provider {
			return a.Provider < b.Provider
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.Source < b.Source
	})
	want, _ := json.MarshalIndent(list, "", "  ")
	want = append(want, '\n')
	if os.Getenv("UPDATE_CONFORMANCE") != "" {
		return os.WriteFile(conformanceFile, want, 0o644)
	}
	got, err := os.ReadFile(conformanceFile)
	if err != nil {
		return err
	}
	if string(got) != string(want) {
		return fmt.Errorf("schemas/conformance.json is not what these tests prove: run `make conformance` and review the diff")
	}
	// Every built-in provider is proven some way.
	defs, _ := filepath.Glob(filepath.Join("..", "..", "..", "providers", "*.json"))
	var missing []string
	for _, d := range defs {
		if strings.HasSuffix(d, ".overlay.json") {
			continue // an imported catalogue's overlay, not a definition
		}
		name := strings.TrimSuffix(filepath.Base(d), ".json")
		found := false
		for _, p := range list {
			found = found || p.Provider == name
		}
		if !found {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no conformance test proves %s: add one that calls proven()", strings.Join(missing, ", "))
	}
	return nil
}
