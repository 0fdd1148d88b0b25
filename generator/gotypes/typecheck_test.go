package gotypes_test

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

const eventImport = "example.com/svc/webhooks/event"

// eventStub declares what generated types use of the runtime event package
// (templates/runtime/event), so that output type-checks without the
// standard library's export data.
const eventStub = `package event

type Flexible struct{ Raw []byte }

type Expandable[T any] struct {
	ID     string
	Object *T
}
`

type stubImporter struct{ event *types.Package }

func (s stubImporter) Import(path string) (*types.Package, error) {
	if path == eventImport {
		return s.event, nil
	}
	return nil, fmt.Errorf("unexpected import %q", path)
}

// typecheck checks that generated source is gofmt-formatted, parses and
// type-checks it, with the event package stubbed, and returns the parsed
// file.
func typecheck(t testing.TB, src []byte) *ast.File {
	t.Helper()
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatalf("format: %v\n%s", err, numbered(src))
	}
	if string(formatted) != string(src) {
		got, want := strings.Split(string(src), "\n"), strings.Split(string(formatted), "\n")
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("not gofmt-formatted: line %d is\n%q, gofmt writes\n%q", i+1, got[i], want[i])
			}
		}
		t.Fatalf("not gofmt-formatted: %d lines, gofmt writes %d", len(got), len(want))
	}
	fset := token.NewFileSet()
	stub, err := parser.ParseFile(fset, "event.go", eventStub, 0)
	if err != nil {
		t.Fatal(err)
	}
	event, err := (&types.Config{}).Check(eventImport, fset, []*ast.File{stub}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(fset, "events.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, numbered(src))
	}
	conf := types.Config{Importer: stubImporter{event}}
	if _, err := conf.Check("example.com/svc/webhooks/events/x", fset, []*ast.File{f}, nil); err != nil {
		t.Fatalf("type-check: %v\n%s", err, numbered(src))
	}
	return f
}

// numbered is src with line numbers, at most 400 lines of it.
func numbered(src []byte) string {
	var out []byte
	line := 1
	out = fmt.Appendf(out, "%4d ", line)
	for _, c := range src {
		out = append(out, c)
		if c == '\n' {
			line++
			if line > 400 {
				return string(out) + "...\n"
			}
			out = fmt.Appendf(out, "%4d ", line)
		}
	}
	return string(out)
}

// declName is the name a type declaration declares ("" for others).
func declName(d ast.Decl) string {
	if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE && len(gd.Specs) == 1 {
		return gd.Specs[0].(*ast.TypeSpec).Name.Name
	}
	return ""
}
