package gotypes

import (
	"encoding/json"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// object is a JSON object that remembers its key order, so that struct
// fields come out in the order the schema lists its properties. A key seen
// twice keeps its first place and its last value, as encoding/json would.
type object struct {
	keys  []string
	vals  []any          // vals[i] is the value of keys[i]
	index map[string]int // for large objects ($defs, properties)
}

// indexFrom is the size from which an object looks its keys up in a map.
const indexFrom = 12

func (o *object) find(k string) int {
	if o.index != nil {
		if i, ok := o.index[k]; ok {
			return i
		}
		return -1
	}
	for i, x := range o.keys {
		if x == k {
			return i
		}
	}
	return -1
}

func (o *object) get(k string) (any, bool) {
	if i := o.find(k); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

func (o *object) val(k string) any {
	v, _ := o.get(k)
	return v
}

func (o *object) obj(k string) *object {
	v, _ := o.val(k).(*object)
	return v
}

func (o *object) str(k string) string {
	v, _ := o.val(k).(string)
	return v
}

func (o *object) set(k string, v any) {
	if i := o.find(k); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
	switch {
	case o.index != nil:
		o.index[k] = len(o.keys) - 1
	case len(o.keys) >= indexFrom:
		o.index = make(map[string]int, 2*len(o.keys))
		for i, x := range o.keys {
			o.index[x] = i
		}
	}
}

// parse decodes JSON into *object, []any, string, json.Number, bool or nil.
// It is a small hand-written decoder: schemas are read on every render, and
// a provider's common.json can be megabytes, of which an event uses a part.
// So the entries of the top-level $defs are only checked for balance and
// left as *lazy, to be decoded by (*parser).force when a $ref needs them.
func parse(b []byte) (any, *parser, error) {
	return parseJSON(b, true)
}

func parseJSON(b []byte, lazyDefs bool) (any, *parser, error) {
	p := &parser{b: b, keys: map[string]string{}, lazyDefs: lazyDefs}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, nil, err
	}
	if p.space(); p.i < len(p.b) {
		return nil, nil, p.errorf("data after the JSON value")
	}
	return v, p, nil
}

type parser struct {
	b        []byte
	i        int
	keys     map[string]string // interned object keys
	buf      []byte
	lazyDefs bool
}

// lazy is a JSON value not decoded yet: b[start:end] of its document.
type lazy struct{ start, end int }

// force decodes a lazy value.
func (p *parser) force(l *lazy) (any, error) {
	p.i = l.start
	return p.value(1)
}

// skip moves past one JSON value, checking strings and the nesting of
// brackets only.
func (p *parser) skip() error {
	depth := 0
	for {
		p.space()
		if p.i >= len(p.b) {
			return p.errorf("unexpected end of input")
		}
		switch c := p.b[p.i]; c {
		case '{', '[':
			depth++
			p.i++
		case '}', ']':
			if depth--; depth < 0 {
				return p.errorf("unexpected %q", c)
			}
			p.i++
		case ',', ':':
			if depth == 0 {
				return p.errorf("unexpected %q", c)
			}
			p.i++
		case '"':
			if _, _, err := p.scanString(); err != nil {
				return err
			}
		default:
			start := p.i
			for p.i < len(p.b) && !isDelim(p.b[p.i]) {
				p.i++
			}
			if p.i == start {
				return p.errorf("unexpected character %q", c)
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

const maxNesting = 10000

func (p *parser) errorf(format string, args ...any) error {
	line, col := 1, 1
	for _, c := range p.b[:min(p.i, len(p.b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("invalid JSON at line %d, column %d: %s", line, col, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxNesting {
		return nil, p.errorf("nested too deeply")
	}
	if p.i >= len(p.b) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.string()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.errorf("unexpected character %q", p.b[p.i])
}

func (p *parser) literal(s string) error {
	if len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return p.errorf("invalid literal")
	}
	p.i += len(s)
	return nil
}

func (p *parser) object(depth int) (*object, error) { return p.members(depth, false) }

// lazyObject reads an object whose values stay *lazy.
func (p *parser) lazyObject() (*object, error) { return p.members(0, true) }

// members reads an object; with lazy, each value is only skipped and kept
// as a *lazy span, decoded when a $ref reaches it.
func (p *parser) members(depth int, lazyValues bool) (*object, error) {
	p.i++ // {
	o := &object{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return o, nil
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.errorf("expected a string key")
		}
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errorf("expected ':'")
		}
		p.i++
		p.space()
		var v any
		switch {
		case lazyValues:
			start := p.i
			err = p.skip()
			v = &lazy{start, p.i}
		case depth == 0 && k == "$defs" && p.lazyDefs && p.i < len(p.b) && p.b[p.i] == '{':
			v, err = p.lazyObject()
		default:
			v, err = p.value(depth + 1)
		}
		if err != nil {
			return nil, err
		}
		o.set(k, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("unexpected end of input")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return o, nil
		default:
			return nil, p.errorf("expected ',' or '}'")
		}
	}
}

func (p *parser) array(depth int) ([]any, error) {
	p.i++ // [
	arr := []any{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return arr, nil
	}
	for {
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, p.errorf("unexpected end of input")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return arr, nil
		default:
			return nil, p.errorf("expected ',' or ']'")
		}
	}
}

// key is a string, interned: schemas repeat the same few keys.
func (p *parser) key() (string, error) {
	raw, plain, err := p.scanString()
	if err != nil {
		return "", err
	}
	if !plain {
		return p.unquote(raw), nil
	}
	if s, ok := p.keys[string(raw)]; ok {
		return s, nil
	}
	s := string(raw)
	p.keys[s] = s
	return s, nil
}

func (p *parser) string() (string, error) {
	raw, plain, err := p.scanString()
	if err != nil {
		return "", err
	}
	if plain {
		return string(raw), nil
	}
	return p.unquote(raw), nil
}

// scanString moves past a string and returns what is between its quotes,
// and whether that is the string itself (no escapes, valid UTF-8).
func (p *parser) scanString() (raw []byte, plain bool, err error) {
	p.i++ // "
	start := p.i
	plain = true
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			raw = p.b[start:p.i]
			p.i++
			if !plain || ascii || utf8.Valid(raw) {
				return raw, plain, nil
			}
			return raw, false, nil
		case c >= utf8.RuneSelf:
			ascii = false
			p.i++
		case c == '\\':
			plain = false
			p.i++
			if p.i >= len(p.b) {
				return nil, false, p.errorf("unexpected end of input")
			}
			switch p.b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				if len(p.b)-p.i < 5 || !isHex4(p.b[p.i+1:p.i+5]) {
					return nil, false, p.errorf("invalid \\u escape")
				}
				p.i += 5
			default:
				return nil, false, p.errorf("invalid escape")
			}
		case c < 0x20:
			return nil, false, p.errorf("control character in a string")
		default:
			p.i++
		}
	}
	return nil, false, p.errorf("unexpected end of input in a string")
}

func isHex4(b []byte) bool {
	for _, c := range b[:4] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		default:
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// unquote decodes a scanned string's escapes; invalid UTF-8 and lone
// surrogates become U+FFFD, as with encoding/json.
func (p *parser) unquote(raw []byte) string {
	out := p.buf[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '\\' {
			switch e := raw[i+1]; e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(raw[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						r2 = hex4(raw[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
				continue
			default: // " \ /
				out = append(out, e)
			}
			i += 2
			continue
		}
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, raw[i:i+size]...)
		}
		i += size
	}
	p.buf = out
	return string(out)
}

func (p *parser) number() (json.Number, error) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return "", p.errorf("invalid number")
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return "", p.errorf("invalid number")
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return "", p.errorf("invalid number")
		}
	}
	return json.Number(p.b[start:p.i]), nil
}
