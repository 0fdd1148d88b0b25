package gotypes

import (
	"bytes"
	"strings"
)

// texpr is a Go type expression whose struct names are given late, once
// every struct is known.
type texpr struct {
	kind  texprKind
	basic string // basicType: a predeclared or qualified type
	elem  *texpr // pointer, slice, map
	node  *node  // named, expandable
}

type texprKind int

const (
	basicType texprKind = iota
	pointerType
	sliceType
	mapType
	namedType      // a struct
	expandableType // event.Expandable[struct]
)

func basic(name string) *texpr { return &texpr{kind: basicType, basic: name} }

var (
	flexible = basic("event.Flexible")
	mapOfAny = &texpr{kind: mapType, elem: basic("any")}
)

func ptrTo(n *node) *texpr {
	return &texpr{kind: pointerType, elem: &texpr{kind: namedType, node: n}}
}

func expandableOf(n *node) *texpr { return &texpr{kind: expandableType, node: n} }

// elem is t as a slice or map element: never a pointer.
func elem(t *texpr) *texpr {
	if t.kind == pointerType {
		return t.elem
	}
	return t
}

func sliceOf(t *texpr) *texpr { return &texpr{kind: sliceType, elem: elem(t)} }
func mapOf(t *texpr) *texpr   { return &texpr{kind: mapType, elem: elem(t)} }

// nullableOf is t when it may be null: scalars become pointers, the rest
// (structs already pointers, slices, maps, Flexible, Expandable) stay.
func nullableOf(t *texpr, nullable bool) *texpr {
	if !nullable || t == nil || t.kind != basicType || t == flexible || t.basic == "any" {
		return t
	}
	return &texpr{kind: pointerType, elem: t}
}

// write writes t and reports whether it uses the event package.
func (t *texpr) write(b *bytes.Buffer) bool {
	switch t.kind {
	case pointerType:
		b.WriteByte('*')
		return t.elem.write(b)
	case sliceType:
		b.WriteString("[]")
		return t.elem.write(b)
	case mapType:
		b.WriteString("map[string]")
		return t.elem.write(b)
	case namedType:
		b.WriteString(t.node.name)
		return false
	case expandableType:
		b.WriteString("event.Expandable[")
		b.WriteString(t.node.name)
		b.WriteByte(']')
		return true
	}
	b.WriteString(t.basic)
	return strings.HasPrefix(t.basic, "event.")
}

// nodes calls f with every struct t names.
func (t *texpr) nodes(f func(*node)) {
	for ; t != nil; t = t.elem {
		if t.node != nil {
			f(t.node)
		}
	}
}
