package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The CLI checks definitions with jsonschema v5, as the design asks;
// generated services validate payloads with v6. Nothing may bring v6 (or
// the service's receive path) into the CLI, where two validators could
// disagree unnoticed.
func TestCLIHasOneJSONSchemaVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED in -short mode: runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	var found []string
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(pkg, "github.com/santhosh-tekuri/jsonschema/") && !strings.Contains(strings.TrimPrefix(pkg, "github.com/santhosh-tekuri/jsonschema/"), "/"):
			found = append(found, pkg)
		case strings.HasSuffix(pkg, "/templates/runtime/receive"), strings.HasSuffix(pkg, "/templates/runtime/eventschema"):
			t.Errorf("the CLI depends on %s", pkg)
		}
	}
	if len(found) != 1 || found[0] != "github.com/santhosh-tekuri/jsonschema/v5" {
		t.Errorf("the CLI depends on jsonschema %v, want v5 alone", found)
	}
}
