package gotypes

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// canonical returns a key equal for two schemas that declare the same
// struct: JSON with sorted keys (properties too: the type met first sets the
// field order), without descriptions, local $refs made absolute (they mean
// different things in different documents). Results are kept, so that
// nested objects are written once.
func (g *gen) canonical(o *object, d *doc) string {
	if s, ok := g.canon[o]; ok {
		return s
	}
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, i := range sortedKeys(o) {
		k := o.keys[i]
		if k == "description" {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		v := o.vals[i]
		switch k {
		case "$ref":
			ref, _ := v.(string)
			if strings.HasPrefix(ref, "#") {
				ref = d.id + ref
			}
			b.WriteString(strconv.Quote(ref))
		case "properties", "$defs", "patternProperties", "dependentSchemas":
			g.canonMap(&b, v, d)
		case "items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems",
			"additionalItems", "contains", "propertyNames", "not", "if", "then", "else":
			g.canonSchema(&b, v, d)
		case "allOf", "anyOf", "oneOf", "prefixItems":
			if list, ok := v.([]any); ok {
				b.WriteByte('[')
				for i, x := range list {
					if i > 0 {
						b.WriteByte(',')
					}
					g.canonSchema(&b, x, d)
				}
				b.WriteByte(']')
			} else {
				canonValue(&b, v)
			}
		default:
			canonValue(&b, v)
		}
	}
	b.WriteByte('}')
	s := b.String()
	g.canon[o] = s
	return s
}

func (g *gen) canonSchema(b *strings.Builder, v any, d *doc) {
	if o, ok := v.(*object); ok {
		b.WriteString(g.canonical(o, d))
		return
	}
	canonValue(b, v)
}

// canonMap writes an object whose values are schemas (properties, $defs).
func (g *gen) canonMap(b *strings.Builder, v any, d *doc) {
	o, ok := v.(*object)
	if !ok {
		canonValue(b, v)
		return
	}
	b.WriteByte('{')
	for n, i := range sortedKeys(o) {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(o.keys[i]))
		b.WriteByte(':')
		g.canonSchema(b, o.vals[i], d)
	}
	b.WriteByte('}')
}

// canonValue writes a plain JSON value (enum, const, examples, ...).
func canonValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case string:
		b.WriteString(strconv.Quote(v))
	case json.Number:
		b.WriteString(string(v))
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			canonValue(b, x)
		}
		b.WriteByte(']')
	case *object:
		b.WriteByte('{')
		for n, i := range sortedKeys(v) {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(v.keys[i]))
			b.WriteByte(':')
			canonValue(b, v.vals[i])
		}
		b.WriteByte('}')
	}
}

// sortedKeys returns the indexes of o's keys in key order.
func sortedKeys(o *object) []int {
	idx := make([]int, len(o.keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(o.keys[a], o.keys[b]) })
	return idx
}
