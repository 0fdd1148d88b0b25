package gotypes

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// goType returns the Go type of schema s (in document d), met at c.
func (g *gen) goType(s any, d *doc, c ctx) (*texpr, error) {
	o, ok := s.(*object)
	if !ok {
		return flexible, nil // true, false
	}
	if ref := o.str("$ref"); ref != "" {
		return g.refType(ref, d)
	}
	types, nullable := typeList(o)
	if all, ok := o.val("allOf").([]any); ok && len(all) > 0 {
		if len(all) == 1 && !hasProps(o) {
			t, err := g.goType(all[0], d, c)
			if err != nil {
				return nil, err
			}
			return nullableOf(t, nullable), nil
		}
		if g.isStruct(o, d) {
			return g.inlineStruct(o, d, c), nil
		}
		// No properties anywhere: the first branch that says something.
		for _, b := range all {
			if !structureless(b) {
				t, err := g.goType(b, d, c)
				if err != nil {
					return nil, err
				}
				return nullableOf(t, nullable), nil
			}
		}
		return flexible, nil
	}
	if hasProps(o) && (len(types) == 0 || contains(types, "object")) {
		return g.inlineStruct(o, d, c), nil
	}
	if br := unionBranches(o); br != nil {
		return g.unionType(br, nullable, d, c)
	}
	if len(types) == 0 {
		switch {
		case has(o, "enum") || has(o, "const"):
			return enumType(o), nil
		case has(o, "items"):
			types = []string{"array"}
		case has(o, "additionalProperties"):
			types = []string{"object"}
		default:
			return flexible, nil
		}
	}
	if len(types) > 1 {
		return flexible, nil // a type that varies in the wild
	}
	switch types[0] {
	case "array":
		items, ok := o.get("items")
		if !ok {
			return sliceOf(flexible), nil
		}
		t, err := g.goType(items, d, c.plus("Item"))
		if err != nil {
			return nil, err
		}
		return sliceOf(t), nil
	case "object":
		ap, ok := o.get("additionalProperties")
		if !ok || structureless(ap) {
			return mapOfAny, nil
		}
		t, err := g.goType(ap, d, c.plus("Value"))
		if err != nil {
			return nil, err
		}
		return mapOf(t), nil
	}
	if t := scalars[types[0]]; t != nil {
		return nullableOf(t, nullable), nil
	}
	return flexible, nil // an unknown type name
}

var scalars = map[string]*texpr{
	"string":  basic("string"),
	"integer": basic("int64"),
	"number":  basic("float64"),
	"boolean": basic("bool"),
}

// refType is the type of a $ref: the struct of an object definition, or
// the type another definition describes.
func (g *gen) refType(ref string, d *doc) (*texpr, error) {
	def, err := g.resolve(ref, d)
	if err != nil {
		return nil, err
	}
	in := g.info(def)
	if in.isStruct {
		return ptrTo(g.component(def, in)), nil
	}
	switch in.state {
	case 1:
		return flexible, nil // a cycle no struct breaks
	case 2:
		return in.alias, nil
	}
	in.state = 1
	t, err := g.goType(def.schema, def.doc, ctx{base: catalog.GoName(def.name)})
	if err != nil {
		return nil, err
	}
	in.state, in.alias = 2, t
	return t, nil
}

// inlineStruct is the struct of an object schema written in place; equal
// schemas share one.
func (g *gen) inlineStruct(o *object, d *doc, c ctx) *texpr {
	// Shared only under one root or definition, and named after where it
	// stands there (never after its title): a name that depended on which
	// events a project selects would change under a user's code when an
	// event is added.
	key := stableAnchor(c) + "\x00" + g.canonical(o, d)
	n := g.inline[key]
	if n == nil {
		n = g.newNode(&node{kind: inlineNode, ctx: c, schema: o, doc: d, origin: d.name})
		g.inline[key] = n
	}
	return ptrTo(n)
}

// isStruct reports whether s is itself a struct: properties (and a type
// that allows an object), or an allOf merging properties.
func (g *gen) isStruct(s any, d *doc) bool {
	o, ok := s.(*object)
	if !ok || o.str("$ref") != "" {
		return false
	}
	if all, ok := o.val("allOf").([]any); ok && len(all) > 0 {
		if len(all) == 1 && !hasProps(o) {
			if b, ok := all[0].(*object); ok && b.str("$ref") != "" {
				return false // an alias
			}
			return g.isStruct(all[0], d)
		}
		return g.mergesProps(o, d)
	}
	types, _ := typeList(o)
	return hasProps(o) && (len(types) == 0 || contains(types, "object"))
}

// mergesProps reports whether o or one of its allOf branches, $refs
// followed, has properties. Results are kept (a branch reached twice is
// looked at once), and a reference cycle adds nothing.
func (g *gen) mergesProps(o *object, d *doc) bool {
	switch g.merges[o] {
	case 1, 2:
		return false
	case 3:
		return true
	}
	g.merges[o] = 1
	found := hasProps(o)
	all, _ := o.val("allOf").([]any)
	for _, b := range all {
		if found {
			break
		}
		bo, ok := b.(*object)
		if !ok {
			continue
		}
		bd := d
		if ref := bo.str("$ref"); ref != "" {
			def, err := g.resolve(ref, d)
			if err != nil {
				continue // reported when the struct is built
			}
			if bo, ok = def.schema.(*object); !ok {
				continue
			}
			bd = def.doc
		}
		found = g.mergesProps(bo, bd)
	}
	g.merges[o] = 2
	if found {
		g.merges[o] = 3
	}
	return found
}

// unionBranches returns the anyOf (else oneOf) branches of o, unless they
// only constrain (all without structure, such as {"required": [...]}).
func unionBranches(o *object) []any {
	for _, k := range []string{"anyOf", "oneOf"} {
		if br, ok := o.val(k).([]any); ok {
			for _, b := range br {
				if !structureless(b) {
					return br
				}
			}
		}
	}
	return nil
}

func (g *gen) unionType(branches []any, nullable bool, d *doc, c ctx) (*texpr, error) {
	var rest []any
	seen := map[string]bool{}
	for _, b := range branches {
		switch bo, _ := b.(*object); {
		case isNull(b):
			nullable = true
		case bo != nil && seen[g.canonical(bo, d)]:
			// the same branch again
		default:
			if bo != nil {
				seen[g.canonical(bo, d)] = true
			}
			rest = append(rest, b)
		}
	}
	switch len(rest) {
	case 0:
		return flexible, nil
	case 1:
		t, err := g.goType(rest[0], d, c)
		if err != nil {
			return nil, err
		}
		return nullableOf(t, nullable), nil
	}
	// Stripe's expandable field: an id, or one of the objects it names.
	firstRef, refs, strs, other := "", 0, 0, false
	for _, b := range rest {
		o, _ := b.(*object)
		switch {
		case o == nil:
			other = true
		case o.str("$ref") != "":
			if refs++; refs == 1 {
				firstRef = o.str("$ref")
			}
		case isString(o):
			strs++
		default:
			other = true
		}
	}
	if !other && strs == 1 && refs > 0 {
		def, err := g.resolve(firstRef, d)
		if err != nil {
			return nil, err
		}
		if in := g.info(def); in.isStruct {
			return expandableOf(g.component(def, in)), nil
		}
		return flexible, nil
	}
	// Branches of one scalar type (strings with different enums, say).
	kind := ""
	for _, b := range rest {
		k, null, ok := g.scalarKind(b, d)
		if !ok || (kind != "" && k != kind) {
			return flexible, nil
		}
		kind, nullable = k, nullable || null
	}
	return nullableOf(scalars[kind], nullable), nil
}

// isString reports whether o is a plain string schema (maybe nullable).
func isString(o *object) bool {
	types, _ := typeList(o)
	return len(types) == 1 && types[0] == "string" && !hasProps(o) &&
		!has(o, "anyOf") && !has(o, "oneOf") && !has(o, "allOf")
}

// scalar is what scalarKind finds.
type scalar struct {
	kind     string // "" when s is not of one scalar type (or not known yet)
	nullable bool
}

// scalarKind returns the JSON Schema scalar type s describes and whether it
// allows null, without declaring anything. Results are kept; a reference
// cycle is not a scalar.
func (g *gen) scalarKind(s any, d *doc) (kind string, nullable, ok bool) {
	o, isObj := s.(*object)
	if !isObj {
		return "", false, false
	}
	if r, seen := g.kinds[o]; seen {
		return r.kind, r.nullable, r.kind != ""
	}
	g.kinds[o] = scalar{} // in progress
	kind, nullable = g.scalarKind0(o, d)
	g.kinds[o] = scalar{kind, nullable}
	return kind, nullable, kind != ""
}

func (g *gen) scalarKind0(o *object, d *doc) (kind string, nullable bool) {
	if ref := o.str("$ref"); ref != "" {
		def, err := g.resolve(ref, d)
		if err != nil {
			return "", false
		}
		k, null, _ := g.scalarKind(def.schema, def.doc)
		return k, null
	}
	if hasProps(o) || has(o, "items") {
		return "", false
	}
	if all, ok := o.val("allOf").([]any); ok && len(all) > 0 {
		if len(all) != 1 {
			return "", false
		}
		k, null, _ := g.scalarKind(all[0], d)
		return k, null
	}
	types, nullable := typeList(o)
	if br := unionBranches(o); br != nil && len(types) == 0 {
		for _, b := range br {
			if isNull(b) {
				nullable = true
				continue
			}
			k, null, ok := g.scalarKind(b, d)
			if !ok || (kind != "" && k != kind) {
				return "", false
			}
			kind, nullable = k, nullable || null
		}
		return kind, nullable
	}
	switch len(types) {
	case 0:
		return enumKind(o)
	case 1:
		if scalars[types[0]] != nil {
			return types[0], nullable
		}
	}
	return "", false
}

// enumType is the type of a schema that only lists its values.
func enumType(o *object) *texpr {
	k, null := enumKind(o)
	if k == "" {
		return flexible
	}
	return nullableOf(scalars[k], null)
}

// enumKind returns the JSON type of the values of enum and const ("" when
// they mix types or there are none) and whether null is one of them.
func enumKind(o *object) (kind string, nullable bool) {
	var vals []any
	if e, ok := o.val("enum").([]any); ok {
		vals = append(vals, e...)
	}
	if c, ok := o.get("const"); ok {
		vals = append(vals, c)
	}
	for _, v := range vals {
		k := ""
		switch v := v.(type) {
		case nil:
			nullable = true
			continue
		case string:
			k = "string"
		case bool:
			k = "boolean"
		case json.Number:
			k = "integer"
			if strings.ContainsAny(string(v), ".eE") {
				k = "number"
			}
		default:
			return "", nullable // an object or array
		}
		switch {
		case kind == "" || kind == k:
			kind = k
		case kind == "integer" && k == "number", kind == "number" && k == "integer":
			kind = "number"
		default:
			return "", nullable
		}
	}
	return kind, nullable
}

// resolve finds the $defs entry a ref names: #/$defs/NAME in the document
// the ref is in, or common.json#/$defs/NAME.
func (g *gen) resolve(ref string, from *doc) (def, error) {
	if d, ok := g.refs[refKey{from, ref}]; ok {
		return d, nil
	}
	d, err := g.resolve0(ref, from)
	if err == nil {
		g.refs[refKey{from, ref}] = d
	}
	return d, err
}

func (g *gen) resolve0(ref string, from *doc) (def, error) {
	file, frag, _ := strings.Cut(ref, "#")
	d := from
	switch file {
	case "":
	case "common.json":
		d = g.common
		if d == nil {
			return def{}, fmt.Errorf("$ref %q: the provider has no common.json", ref)
		}
	default:
		return def{}, fmt.Errorf("$ref %q: only #/$defs/X and common.json#/$defs/X are supported", ref)
	}
	name, ok := strings.CutPrefix(frag, "/$defs/")
	if !ok || strings.Contains(name, "/") {
		return def{}, fmt.Errorf("$ref %q: only #/$defs/X and common.json#/$defs/X are supported", ref)
	}
	defs := d.root.obj("$defs")
	if defs == nil {
		return def{}, fmt.Errorf("$ref %q: no such definition", ref)
	}
	for _, n := range []string{unescape(name), name} { // escaped as a JSON Pointer should be, or not
		i := defs.find(n)
		if i < 0 {
			continue
		}
		if l, ok := defs.vals[i].(*lazy); ok {
			v, err := d.parser.force(l)
			if err != nil {
				return def{}, fmt.Errorf("%s $defs %q: %w", d.name, n, err)
			}
			defs.vals[i] = v
		}
		return def{doc: d, name: n, schema: defs.vals[i]}, nil
	}
	return def{}, fmt.Errorf("$ref %q: no such definition", ref)
}

// unescape undoes a JSON Pointer token's escapes (and a URI fragment's
// percent-encoding).
func unescape(s string) string {
	if strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	if strings.Contains(s, "~") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return s
}

// typeList returns the non-null types of s, in order, and whether null is allowed.
func typeList(s *object) ([]string, bool) {
	var types []string
	nullable := false
	add := func(t string) {
		if t == "null" {
			nullable = true
		} else if !contains(types, t) {
			types = append(types, t)
		}
	}
	switch t := s.val("type").(type) {
	case string:
		add(t)
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				add(s)
			}
		}
	}
	return types, nullable
}

// isNull reports whether s allows only null.
func isNull(s any) bool {
	o, ok := s.(*object)
	if !ok || hasProps(o) || has(o, "$ref") || has(o, "items") || has(o, "anyOf") || has(o, "oneOf") || has(o, "allOf") {
		return false
	}
	types, nullable := typeList(o)
	if len(types) > 0 {
		return false
	}
	if nullable {
		return true
	}
	if c, ok := o.get("const"); ok && c == nil {
		return true
	}
	e, ok := o.val("enum").([]any)
	return ok && len(e) == 1 && e[0] == nil
}

// structural keywords: a schema without any of them says nothing of the
// value's type.
var structural = []string{"type", "$ref", "properties", "items", "anyOf", "oneOf", "allOf", "enum", "const", "additionalProperties"}

func structureless(s any) bool {
	o, ok := s.(*object)
	if !ok {
		return true
	}
	for _, k := range structural {
		if has(o, k) {
			return false
		}
	}
	return true
}

func hasProps(o *object) bool {
	p := o.obj("properties")
	return p != nil && len(p.keys) > 0
}

func has(o *object, k string) bool {
	_, ok := o.get(k)
	return ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stableAnchor names the root or definition an inline object is met in,
// whose name does not depend on the selection.
func stableAnchor(c ctx) string {
	if c.anchor != nil {
		return strconv.Itoa(int(c.anchor.kind)) + ":" + c.anchor.fixed
	}
	return c.base
}
