package gotypes

import (
	"bytes"
	doccomment "go/doc/comment"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// fieldNames returns the Go field names of properties keys: GoName, with a
// leading "+" read as "plus" and "-" as "minus" ("+1" → Plus1), "Field" for
// a name without a letter or digit, and a number appended (2, 3, ...) to
// every name after the first that maps to one already taken.
func (g *gen) fieldNames(keys []string) []string {
	out := make([]string, len(keys))
	used := make(map[string]bool, len(keys))
	var dups []int
	for i, k := range keys {
		out[i] = g.fieldName(k)
		if used[out[i]] {
			dups = append(dups, i)
			continue
		}
		used[out[i]] = true
	}
	next := map[string]int{}
	for _, i := range dups {
		base := out[i]
		n := max(next[base], 2)
		for used[base+strconv.Itoa(n)] {
			n++
		}
		out[i] = base + strconv.Itoa(n)
		used[out[i]] = true
		next[base] = n + 1
	}
	return out
}

// fieldName is fieldName0, remembered: the same property names come back
// in struct after struct.
func (g *gen) fieldName(key string) string {
	if n, ok := g.fields[key]; ok {
		return n
	}
	n := fieldName0(key)
	g.fields[key] = n
	return n
}

// fieldName0 is the Go field name of property key, before collisions.
func fieldName0(key string) string {
	switch {
	case strings.HasPrefix(key, "+"):
		return catalog.GoName("plus " + key[1:])
	case strings.HasPrefix(key, "-"):
		return catalog.GoName("minus " + key[1:])
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return catalog.GoName(key)
		}
	}
	return "Field"
}

// validTag reports whether encoding/json can use name as a field's name in
// its tag (the rule of encoding/json's isValidTag). Such names are also safe
// inside the raw string literal of the tag.
func validTag(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// maxDoc is about how many characters of a description a comment keeps.
const maxDoc = 300

// docText is the part of a description a doc comment keeps: its first
// paragraph, cut after a sentence (or a word) near maxDoc characters, with
// control characters that could upset a comment or a reader removed.
func docText(s string) string {
	s = strings.TrimSpace(clean(s))
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		// Unindented: an indented line would read as a code block.
		if l = strings.TrimSpace(l); l == "" {
			lines = lines[:i] // the first paragraph only
			break
		}
		lines[i] = l
	}
	s = strings.Join(lines, "\n")
	if utf8.RuneCountInString(s) <= maxDoc {
		return s
	}
	cut, n := s, 0
	for i := range s {
		if n == maxDoc {
			cut = s[:i]
			break
		}
		n++
	}
	if i := strings.LastIndex(cut, ". "); i >= maxDoc/3 {
		return cut[:i+1]
	}
	if i := strings.LastIndexAny(cut, " \n"); i >= maxDoc/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \t\n") + " ..."
}

// clean makes s safe for // comments: line breaks of any kind become "\n",
// other control characters spaces, and byte order marks and bidirectional
// controls go.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f':
			return '\n'
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return ' '
		case r == '\ufeff' || r == '\u200e' || r == '\u200f' || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
}

// comment writes text, made of clean lines (docText, identifiers, quoted
// strings), as // comment lines at indent.
func comment(b *bytes.Buffer, indent, text string) {
	if text == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		b.WriteString(indent)
		if l = strings.TrimRight(l, " \t"); l == "" {
			b.WriteString("//\n")
			continue
		}
		b.WriteString("// ")
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

// docComment writes text as the doc comment of a declaration, as gofmt
// would reformat it (go/printer runs such comments through go/doc/comment,
// which turns pairs of backquotes or of single quotes into typographic
// quotes, for one).
func docComment(b *bytes.Buffer, text string) {
	if text == "" {
		return
	}
	var p doccomment.Parser
	var pr doccomment.Printer
	out := string(pr.Comment(p.Parse(text + "\n")))
	for out != "" {
		var l string
		l, out, _ = strings.Cut(out, "\n")
		switch {
		case l == "":
			b.WriteString("//\n")
		case l[0] == '\t':
			b.WriteString("//" + l + "\n")
		default:
			b.WriteString("// " + l + "\n")
		}
	}
}
