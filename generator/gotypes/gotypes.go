// Package gotypes turns a provider's event schemas into Go structs, so that
// handlers receive typed events.
//
// It reads JSON Schema 2020-12 as the catalogue writes it, hand-written or
// imported from a provider's OpenAPI document: an event schema refers to the
// provider's shared definitions as common.json#/$defs/NAME, and definitions
// refer to each other (or an event to its own $defs) as #/$defs/NAME, NAME
// JSON-Pointer-escaped (~1 is /, ~0 is ~).
//
// Types, in the order the rules are tried on a schema:
//
//   - true, false and {} (no structure at all) → event.Flexible.
//   - $ref to an object definition (one that is itself a struct: properties,
//     or an allOf merging properties) → *Name, one struct per definition,
//     Name = catalog.GoName(NAME); any other definition is inlined as the
//     type it describes (a reference cycle through such definitions only
//     gives event.Flexible).
//   - allOf: one branch is that branch; several make one struct with the
//     union of their properties ($refs followed); a property listed twice
//     keeps its first schema unless that one has no structure.
//   - properties (type object or none) → *struct; additionalProperties is
//     ignored then.
//   - anyOf/oneOf (branches that only constrain, such as {"required": [...]},
//     are ignored; a branch listed twice counts once): null branches make
//     the rest nullable; one branch left →
//     its type; a string and $refs → event.Expandable[first ref] (Stripe's
//     expandable fields; event.Flexible when that ref is not an object
//     definition); branches all of one scalar type → that type; anything
//     else → event.Flexible.
//   - type: string → string, integer → int64, number → float64, boolean →
//     bool, array → []T of items ([]event.Flexible without items), object
//     without properties → map[string]T of additionalProperties (a schema)
//     or map[string]any; several non-null types → event.Flexible.
//   - no type: enum or const → the type of their values (strings → string,
//     integers → int64, numbers → float64, booleans → bool, mixed →
//     event.Flexible); items → array; otherwise event.Flexible.
//
// Null ("type": [T, "null"] or a null branch) makes scalars pointers;
// structs are always pointers; slices, maps, event.Flexible and
// event.Expandable stay as they are. Elements of slices and maps are never
// pointers. Keywords that do not change a Go type (format, pattern, bounds,
// default, examples, readOnly, deprecated, x-*, not, if/then/else) are
// ignored; enum only matters when there is no type.
//
// An event's root is always a struct, of the properties its schema has, or
// gets from $ref, allOf, anyOf and oneOf (a property that is false, which
// may not be there, has no field).
//
// Names. Event roots take the names the caller gives; then object
// definitions take GoName(NAME); then inline objects take the name of the
// nearest named type (root or definition) followed by the field name ("Item"
// for array items, "Value" for map values). A name already taken gets 2, 3,
// ...; within each group names go in the order the types are met. Inline
// objects that are the same schema (canonical JSON, descriptions aside)
// share one type within one root or definition, never across them: a type's
// name must not depend on which other events a project selects, or adding
// an event would rename a type under the user's code. (Titles are not used
// for the same reason: two roots could claim one.) Fields are catalog.GoName of the
// property, a leading "+" read as "Plus" and "-" as "Minus" (GitHub's
// reactions "+1" and "-1" are Plus1 and Minus1), "Field" when the property
// has no letter or digit, and 2, 3, ... appended to the later ones of a
// collision. A property encoding/json cannot name in a tag (empty, or with a
// character other than a letter, a digit, a space or one of
// !#$%&()*+-./:;<=>?@[]^_{|}~) is left out. JSON tags keep the property's
// name, with ",omitempty" unless it is required. Doc comments keep the first
// paragraph of a description, at most about 300 characters, unindented, on
// comment lines only: nothing in a description can become code.
//
// Output is gofmt-formatted and deterministic: roots in the order given,
// each struct after the first one that uses it, fields in the schema's
// order. Reachable structs only: a definition no event uses is not declared.
package gotypes

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strconv"
	"unicode/utf8"

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
// the runtime event package (Flexible, Expandable). common is the provider's
// common.json (nil when it has none).
func Generate(pkg, header, eventImport string, common []byte, events []Event) ([]byte, error) {
	g := newGen()
	if common != nil {
		root, p, err := parseSchema(common)
		if err != nil {
			return nil, fmt.Errorf("common.json: %w", err)
		}
		g.common = &doc{id: "common.json", name: "common.json", root: root, parser: p}
	}
	roots := make([]*node, len(events))
	byName := map[string]bool{}
	for i, e := range events {
		root, p, err := parseSchema(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		if byName[e.TypeName] {
			return nil, fmt.Errorf("%s: two events have the Go type %s", e.Name, e.TypeName)
		}
		byName[e.TypeName] = true
		d := &doc{id: "event" + strconv.Itoa(i), name: e.Name, root: root, parser: p}
		roots[i] = g.newNode(&node{
			kind:   rootNode,
			fixed:  e.TypeName,
			schema: root,
			doc:    d,
			origin: e.Name,
			event:  e.Name,
		})
	}
	if err := g.run(); err != nil {
		return nil, err
	}
	// The declarations are written as gofmt writes them (the tests hold
	// them to it): go/format would take a third of the time.
	body, usesEvent := g.print(roots)
	var src bytes.Buffer
	src.WriteString(header)
	fmt.Fprintf(&src, "\npackage %s\n", pkg)
	if usesEvent {
		fmt.Fprintf(&src, "\nimport %q\n", eventImport)
	}
	out, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated types: %w", err)
	}
	return append(out, body...), nil
}

func parseSchema(b []byte) (*object, *parser, error) {
	v, p, err := parse(b)
	if err != nil {
		return nil, nil, err
	}
	o, ok := v.(*object)
	if !ok {
		return nil, nil, fmt.Errorf("a schema must be a JSON object")
	}
	return o, p, nil
}

// doc is one parsed document: common.json or an event schema. Its local
// $refs (#/$defs/X) resolve in it.
type doc struct {
	id     string // unique; local $refs are made absolute with it
	name   string // for errors
	root   *object
	parser *parser // to decode its $defs entries when first used
}

type nodeKind int

const (
	rootNode nodeKind = iota
	defNode           // an object definition
	inlineNode
)

// node is one Go struct to declare.
type node struct {
	kind   nodeKind
	seq    int    // creation order: names are given in it
	fixed  string // root: the caller's name; defNode: GoName of the definition
	ctx    ctx    // inlineNode: where it was first met
	schema any
	doc    *doc
	origin string // for errors
	event  string // rootNode: the provider's event name

	fields  []field
	desc    string
	name    string
	visited bool
}

// anchor reports whether the node's name starts its nested objects' names.
func (n *node) anchor() bool { return n.kind != inlineNode }

// ctx is where an inline object is met: the root or definition it stands in
// (or, inside an inlined non-object definition, that definition's Go name)
// and what follows it (field names, then Item or Value). An inline object is
// never an anchor, so names follow from roots and definitions alone.
type ctx struct {
	anchor *node
	base   string
	suffix string
}

// name is the name of the struct met at c.
func (c ctx) name() string {
	if c.anchor != nil {
		return c.anchor.name + c.suffix
	}
	return c.base + c.suffix
}

func (c ctx) plus(s string) ctx {
	c.suffix += s
	return c
}

type field struct {
	name     string
	key      string
	typ      *texpr
	desc     string
	required bool
}

// defInfo is what is known of one $defs entry.
type defInfo struct {
	checked  bool
	isStruct bool
	node     *node  // when isStruct
	state    int    // non-struct: 0 not yet, 1 in progress, 2 done
	alias    *texpr // non-struct, when done
}

type gen struct {
	common *doc
	nodes  []*node
	queue  []*node
	defs   map[string]*defInfo
	inline map[string]*node   // canonical schema → its struct
	canon  map[*object]string // memo of canonical JSON
	fields map[string]string  // property → Go field name
	refs   map[refKey]def     // resolved $refs
	merges map[*object]int8   // mergesProps: 1 in progress, 2 no, 3 yes
	kinds  map[*object]scalar // scalarKind, once known
}

type refKey struct {
	doc *doc
	ref string
}

func newGen() *gen {
	return &gen{
		defs:   map[string]*defInfo{},
		inline: map[string]*node{},
		canon:  map[*object]string{},
		fields: map[string]string{},
		refs:   map[refKey]def{},
		merges: map[*object]int8{},
		kinds:  map[*object]scalar{},
	}
}

func (g *gen) newNode(n *node) *node {
	n.seq = len(g.nodes)
	g.nodes = append(g.nodes, n)
	g.queue = append(g.queue, n)
	return n
}

// run builds the fields of every struct, the ones found on the way
// included. Fields are built after the struct is registered, so that
// references (and reference cycles) find it.
func (g *gen) run() error {
	for len(g.queue) > 0 {
		n := g.queue[0]
		g.queue = g.queue[1:]
		if err := g.build(n); err != nil {
			return fmt.Errorf("%s: %w", n.origin, err)
		}
	}
	return nil
}

// build fills in the fields of n from its schema's properties (and those of
// its allOf branches; a root also takes those of its anyOf/oneOf branches,
// since it must be a struct).
func (g *gen) build(n *node) error {
	sh := &shape{index: map[string]int{}, required: map[string]bool{}}
	if err := g.collect(sh, n.schema, n.doc, n.kind == rootNode, true, map[visit]bool{}); err != nil {
		return err
	}
	n.desc = sh.desc
	keys := make([]string, 0, len(sh.props))
	props := make([]prop, 0, len(sh.props))
	for _, p := range sh.props {
		if !validTag(p.key) || p.schema == false {
			continue // encoding/json cannot name it in a tag; a property that may not be there
		}
		keys = append(keys, p.key)
		props = append(props, p)
	}
	names := g.fieldNames(keys)
	n.fields = make([]field, len(props))
	for i, p := range props {
		c := ctx{suffix: names[i]}
		switch {
		case n.anchor():
			c.anchor = n
		default:
			c.anchor, c.base = n.ctx.anchor, n.ctx.base
		}
		t, err := g.goType(p.schema, p.doc, c)
		if err != nil {
			return fmt.Errorf("property %q: %w", p.key, err)
		}
		desc := ""
		if o, ok := p.schema.(*object); ok {
			desc = o.str("description")
		}
		n.fields[i] = field{name: names[i], key: p.key, typ: t, desc: desc, required: sh.required[p.key]}
	}
	return nil
}

// prop is one property of a struct, with the document its schema is in.
type prop struct {
	key    string
	schema any
	doc    *doc
}

type shape struct {
	props    []prop
	index    map[string]int
	required map[string]bool
	desc     string
}

func (sh *shape) add(key string, s any, d *doc) {
	if i, ok := sh.index[key]; ok {
		if structureless(sh.props[i].schema) && !structureless(s) {
			sh.props[i].schema, sh.props[i].doc = s, d
		}
		return
	}
	sh.index[key] = len(sh.props)
	sh.props = append(sh.props, prop{key, s, d})
}

// collect adds the properties of s to sh, following $ref and allOf (and
// anyOf/oneOf when union). Each schema is visited once (twice when it is
// met both where its required list counts and where it does not): that
// stops reference cycles, and shared branches cannot multiply the work.
func (g *gen) collect(sh *shape, s any, d *doc, union, req bool, seen map[visit]bool) error {
	o, ok := s.(*object)
	if !ok || seen[visit{o, req}] {
		return nil
	}
	seen[visit{o, req}] = true
	if sh.desc == "" {
		sh.desc = o.str("description")
	}
	if ref := o.str("$ref"); ref != "" {
		// 2020-12: keywords beside $ref apply too.
		def, err := g.resolve(ref, d)
		if err != nil {
			return err
		}
		if err := g.collect(sh, def.schema, def.doc, union, req, seen); err != nil {
			return err
		}
	}
	if props := o.obj("properties"); props != nil {
		for i, k := range props.keys {
			sh.add(k, props.vals[i], d)
		}
	}
	if r, ok := o.val("required").([]any); ok && req {
		for _, k := range r {
			if k, ok := k.(string); ok {
				sh.required[k] = true
			}
		}
	}
	if all, ok := o.val("allOf").([]any); ok {
		for _, b := range all {
			if err := g.collect(sh, b, d, union, req, seen); err != nil {
				return err
			}
		}
	}
	if union {
		for _, k := range []string{"anyOf", "oneOf"} {
			if br, ok := o.val(k).([]any); ok {
				for _, b := range br {
					if err := g.collect(sh, b, d, union, false, seen); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

type visit struct {
	o   *object
	req bool
}

// def is a resolved $defs entry.
type def struct {
	doc    *doc
	name   string
	schema any
}

func (d def) key() string { return d.doc.id + "#" + d.name }

func (g *gen) info(d def) *defInfo {
	k := d.key()
	in := g.defs[k]
	if in == nil {
		in = &defInfo{}
		g.defs[k] = in
	}
	if !in.checked {
		in.checked = true
		in.isStruct = g.isStruct(d.schema, d.doc)
	}
	return in
}

// component returns the struct of an object definition.
func (g *gen) component(d def, in *defInfo) *node {
	if in.node == nil {
		in.node = g.newNode(&node{
			kind:   defNode,
			fixed:  catalog.GoName(d.name),
			schema: d.schema,
			doc:    d.doc,
			origin: d.doc.name + " $defs " + strconv.Quote(d.name),
		})
	}
	return in.node
}

// print declares the structs reachable from roots, each after the one that
// first uses it, and reports whether the event package is used.
func (g *gen) print(roots []*node) ([]byte, bool) {
	var order []*node
	var visit func(n *node)
	visit = func(n *node) {
		if n.visited {
			return
		}
		n.visited = true
		order = append(order, n)
		for _, f := range n.fields {
			f.typ.nodes(visit)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	g.name(order)

	var b, typ bytes.Buffer
	usesEvent := false
	var types, docs []string
	for _, n := range order {
		var d string
		switch n.kind {
		case rootNode:
			d = fmt.Sprintf("%s is the payload of %q.", n.name, n.event)
			if t := docText(n.desc); t != "" {
				d += " " + t
			}
		case defNode:
			d = n.name + " is a shared object."
			if t := docText(n.desc); t != "" {
				d = n.name + ": " + t
			}
		default:
			d = n.name + " is a nested object."
		}
		b.WriteByte('\n')
		docComment(&b, d)
		b.WriteString("type ")
		b.WriteString(n.name)
		b.WriteString(" struct {\n")
		types, docs = types[:0], docs[:0]
		for _, f := range n.fields {
			typ.Reset()
			if f.typ.write(&typ) {
				usesEvent = true
			}
			types = append(types, typ.String())
			docs = append(docs, docText(f.desc))
		}
		// Aligned as gofmt aligns: in columns, each run of fields without
		// a comment line between them.
		for i := 0; i < len(n.fields); {
			j := i + 1
			for j < len(n.fields) && docs[j] == "" {
				j++
			}
			nameWidth, typeWidth := 0, 0
			for k := i; k < j; k++ {
				nameWidth = max(nameWidth, utf8.RuneCountInString(n.fields[k].name))
				typeWidth = max(typeWidth, utf8.RuneCountInString(types[k]))
			}
			for k := i; k < j; k++ {
				f := n.fields[k]
				comment(&b, "\t", docs[k])
				b.WriteByte('\t')
				pad(&b, f.name, nameWidth+1)
				pad(&b, types[k], typeWidth+1)
				b.WriteString("`json:\"")
				b.WriteString(f.key)
				if !f.required {
					b.WriteString(",omitempty")
				}
				b.WriteString("\"`\n")
			}
			i = j
		}
		b.WriteString("}\n")
	}
	return b.Bytes(), usesEvent
}

// pad writes s and spaces up to width characters, as text/tabwriter
// counts them.
func pad(b *bytes.Buffer, s string, width int) {
	b.WriteString(s)
	for range width - utf8.RuneCountInString(s) {
		b.WriteByte(' ')
	}
}

// name gives every struct its Go name: roots first, then object
// definitions, then inline objects, each group in the order met.
func (g *gen) name(order []*node) {
	taken := map[string]bool{}
	next := map[string]int{} // the number to try next after base
	take := func(base string) string {
		name := base
		if taken[name] {
			n := max(next[base], 2)
			for taken[base+strconv.Itoa(n)] {
				n++
			}
			name = base + strconv.Itoa(n)
			next[base] = n + 1
		}
		taken[name] = true
		return name
	}
	var nameOf func(n *node)
	nameOf = func(n *node) {
		if n.name != "" {
			return
		}
		switch {
		case n.kind == rootNode:
			n.name = n.fixed
			taken[n.name] = true
		case n.kind == defNode:
			n.name = take(n.fixed)
		default:
			if n.ctx.anchor != nil {
				nameOf(n.ctx.anchor) // named already, unless only an unused type used it
			}
			n.name = take(n.ctx.name())
		}
	}
	sorted := slices.Clone(order)
	slices.SortStableFunc(sorted, func(a, b *node) int {
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return a.seq - b.seq
	})
	for _, n := range sorted {
		nameOf(n)
	}
}
