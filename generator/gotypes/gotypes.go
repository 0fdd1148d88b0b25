// Package gotypes turns a provider's event schemas into Go structs, so that
// handlers receive typed events. It understands the subset of JSON Schema the
// catalogue's event schemas use (see schemas/README.md): properties, items,
// $ref into $defs (local or common.json), nullable type lists, and anyOf of an
// id string and an object (Stripe's expandable fields).
package gotypes

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// Event is one event schema to turn into a root type.
type Event struct {
	Name     string // the provider's spelling, for the doc comment
	TypeName string
	Schema   []byte
}

// Generate returns the formatted source of package pkg declaring one type per
// event and one per named or nested object. eventImport is the import path of
// the runtime event package (Flexible, Expandable).
func Generate(pkg, header, eventImport string, common []byte, events []Event) ([]byte, error) {
	g := &gen{types: map[string]*object{}, emitted: map[string]bool{}}
	if common != nil {
		root, err := parseSchema(common)
		if err != nil {
			return nil, fmt.Errorf("common.json: %w", err)
		}
		g.common = root
	}
	for _, e := range events {
		root, err := parseSchema(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		doc := fmt.Sprintf("%s is the payload of %q.", e.TypeName, e.Name)
		if d := root.str("description"); d != "" {
			doc += " " + d
		}
		if err := g.structType(e.TypeName, doc, root, root); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	var src bytes.Buffer
	src.WriteString(header)
	fmt.Fprintf(&src, "\npackage %s\n\n", pkg)
	if g.usesEvent {
		fmt.Fprintf(&src, "import %q\n\n", eventImport)
	}
	src.Write(g.out.Bytes())
	out, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated types: %w\n%s", err, src.Bytes())
	}
	return out, nil
}

type gen struct {
	common    *object
	types     map[string]*object // name → schema, to detect two schemas claiming one name
	emitted   map[string]bool
	queue     []string
	out       bytes.Buffer
	usesEvent bool
}

func parseSchema(b []byte) (*object, error) {
	v, err := parse(b)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*object)
	if !ok {
		return nil, fmt.Errorf("a schema must be a JSON object")
	}
	return o, nil
}

// structType emits a struct for an object schema under name, then the named
// types its fields refer to. root is the document s is in: its local $refs
// resolve there.
func (g *gen) structType(name, doc string, s, root *object) error {
	if prev, ok := g.types[name]; ok {
		if prev == s {
			return nil
		}
		return fmt.Errorf("two schemas define the Go type %s: rename one $defs entry", name)
	}
	g.types[name] = s
	var b strings.Builder
	fmt.Fprintf(&b, "// %s\ntype %s struct {\n", wrap(doc), name)
	required := map[string]bool{}
	if r, ok := s.get("required"); ok {
		for _, k := range r.([]any) {
			required[k.(string)] = true
		}
	}
	props := s.obj("properties")
	seen := map[string]string{}
	var nested []func() error
	if props != nil {
		for _, key := range props.keys {
			p, ok := props.vals[key].(*object)
			if !ok {
				continue // `true`: any value, nothing to type
			}
			field := catalog.GoName(key)
			if other, dup := seen[field]; dup {
				return fmt.Errorf("properties %q and %q both map to the Go field %s", other, key, field)
			}
			seen[field] = key
			typ, more, err := g.goType(name+field, p, root)
			if err != nil {
				return fmt.Errorf("property %q: %w", key, err)
			}
			if more != nil {
				nested = append(nested, more)
			}
			if d := p.str("description"); d != "" {
				fmt.Fprintf(&b, "\t// %s\n", wrap(d))
			}
			tag := key
			if !required[key] {
				tag += ",omitempty"
			}
			fmt.Fprintf(&b, "\t%s %s `json:%q`\n", field, typ, tag)
		}
	}
	b.WriteString("}\n\n")
	g.out.WriteString(b.String())
	for _, f := range nested {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// goType returns the Go type for schema s, found at ctx (the name a nested
// struct gets), and a function emitting any type it introduces.
func (g *gen) goType(ctx string, s, root *object) (string, func() error, error) {
	if ref := s.str("$ref"); ref != "" {
		name, target, targetRoot, err := g.resolve(ref, root)
		if err != nil {
			return "", nil, err
		}
		return "*" + name, g.named(name, target, targetRoot), nil
	}
	if anyOf, ok := s.get("anyOf"); ok {
		return g.anyOf(anyOf.([]any), root)
	}
	types, nullable := typeList(s)
	if len(types) != 1 {
		g.usesEvent = true
		return "event.Flexible", nil, nil // no type, or one that varies in the wild
	}
	ptr := ""
	if nullable {
		ptr = "*"
	}
	switch types[0] {
	case "string":
		return ptr + "string", nil, nil
	case "integer":
		return ptr + "int64", nil, nil
	case "number":
		return ptr + "float64", nil, nil
	case "boolean":
		return ptr + "bool", nil, nil
	case "array":
		items := s.obj("items")
		if items == nil {
			g.usesEvent = true
			return "[]event.Flexible", nil, nil
		}
		t, more, err := g.goType(ctx+"Item", items, root)
		if err != nil {
			return "", nil, err
		}
		return "[]" + strings.TrimPrefix(t, "*"), more, nil
	case "object":
		if s.obj("properties") == nil {
			return "map[string]any", nil, nil
		}
		return "*" + ctx, func() error { return g.structType(ctx, ctx+" is a nested object.", s, root) }, nil
	}
	return "", nil, fmt.Errorf("unsupported type %q", types[0])
}

// anyOf supports the expandable form: a string id or an object, maybe null.
func (g *gen) anyOf(branches []any, root *object) (string, func() error, error) {
	var ref string
	hasString := false
	for _, b := range branches {
		o, ok := b.(*object)
		if !ok {
			return "", nil, fmt.Errorf("anyOf branches must be schemas")
		}
		types, _ := typeList(o)
		switch {
		case o.str("$ref") != "":
			ref = o.str("$ref")
		case len(types) == 1 && types[0] == "string":
			hasString = true
		case len(types) == 0 && isNullOnly(o):
		default:
			return "", nil, fmt.Errorf("anyOf supports only a string id and a $ref (and null)")
		}
	}
	if ref == "" || !hasString {
		return "", nil, fmt.Errorf("anyOf supports only a string id and a $ref (and null)")
	}
	name, target, targetRoot, err := g.resolve(ref, root)
	if err != nil {
		return "", nil, err
	}
	g.usesEvent = true
	return "event.Expandable[" + name + "]", g.named(name, target, targetRoot), nil
}

func (g *gen) named(name string, target, root *object) func() error {
	return func() error {
		if g.emitted[name] {
			return nil
		}
		g.emitted[name] = true
		doc := name + " is a shared object."
		if d := target.str("description"); d != "" {
			doc = name + ": " + d
		}
		return g.structType(name, doc, target, root)
	}
}

// resolve finds the $defs entry a ref names, in the document the ref is in
// (from) or in common.json, and returns it with its document.
func (g *gen) resolve(ref string, from *object) (string, *object, *object, error) {
	file, frag, _ := strings.Cut(ref, "#")
	root := from
	switch file {
	case "":
	case "common.json":
		root = g.common
	default:
		return "", nil, nil, fmt.Errorf("$ref %q: only #/$defs/X and common.json#/$defs/X are supported", ref)
	}
	name, ok := strings.CutPrefix(frag, "/$defs/")
	if root == nil || !ok || strings.Contains(name, "/") {
		return "", nil, nil, fmt.Errorf("$ref %q: only #/$defs/X and common.json#/$defs/X are supported", ref)
	}
	defs := root.obj("$defs")
	if defs == nil || defs.obj(name) == nil {
		return "", nil, nil, fmt.Errorf("$ref %q: no such definition", ref)
	}
	target := defs.obj(name)
	if t, _ := typeList(target); len(t) != 1 || t[0] != "object" {
		return "", nil, nil, fmt.Errorf("$ref %q: a referenced definition must be an object", ref)
	}
	return catalog.GoName(name), target, root, nil
}

// typeList returns the non-null types of s, sorted, and whether null is allowed.
func typeList(s *object) ([]string, bool) {
	var types []string
	nullable := false
	add := func(t string) {
		if t == "null" {
			nullable = true
		} else {
			types = append(types, t)
		}
	}
	switch t := s.vals["type"].(type) {
	case string:
		add(t)
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				add(s)
			}
		}
	}
	sort.Strings(types)
	return types, nullable
}

func isNullOnly(s *object) bool {
	types, nullable := typeList(s)
	return len(types) == 0 && nullable
}

// wrap keeps a doc comment on one logical line per sentence group.
func wrap(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n// ")
}
