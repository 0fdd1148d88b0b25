package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// The shared definitions a schema refers to: common.json's $defs from an
// event schema (whose own #/$defs are its own), or its own from inside
// common.json.
var (
	commonRefRE = regexp.MustCompile(`"\$ref"\s*:\s*"common\.json#/\$defs/([^"/]+)"`)
	localRefRE  = regexp.MustCompile(`"\$ref"\s*:\s*"#/\$defs/([^"/]+)"`)
)

// commonDefs is a common.json split into its definitions, kept as written.
type commonDefs struct {
	head map[string]json.RawMessage // every top-level key but $defs
	defs map[string]json.RawMessage
	// indented holds each definition indented as it stands in the file
	// CommonFor writes, made once: re-indenting megabytes on every render
	// was a quarter of a render's time.
	indented sync.Map // name → []byte
}

func (c *commonDefs) indent(name string) ([]byte, error) {
	if b, ok := c.indented.Load(name); ok {
		return b.([]byte), nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, c.defs[name], "    ", "  "); err != nil {
		return nil, err
	}
	c.indented.Store(name, out.Bytes())
	return out.Bytes(), nil
}

// splitCommon parses a provider's common.json into its definitions; each
// provider does it once (Provider.commonDefs), on its first render.
func splitCommon(p *Provider) func() (*commonDefs, error) {
	return sync.OnceValues(func() (*commonDefs, error) {
		var c commonDefs
		if err := json.Unmarshal(p.Common, &c.head); err != nil {
			return nil, fmt.Errorf("%s common.json: %w", p.Name, err)
		}
		if raw, ok := c.head["$defs"]; ok {
			if err := json.Unmarshal(raw, &c.defs); err != nil {
				return nil, fmt.Errorf("%s common.json $defs: %w", p.Name, err)
			}
			delete(c.head, "$defs")
		}
		return &c, nil
	})
}

// pointerUnescaper reads a JSON Pointer token.
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// CommonFor is the provider's common.json cut down to the definitions that
// the given event schemas reach: an imported catalogue shares hundreds of
// objects among hundreds of events, and a project needs only its events'.
// A hand-written common.json is returned as written.
func (p *Provider) CommonFor(schemas [][]byte) ([]byte, error) {
	if p.Common == nil || !p.Imported {
		return p.Common, nil
	}
	c, err := p.commonDefs()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var queue []string
	visit := func(re *regexp.Regexp, b []byte) {
		for _, m := range re.FindAllSubmatch(b, -1) {
			name := pointerUnescaper.Replace(string(m[1]))
			if !seen[name] {
				seen[name] = true
				queue = append(queue, name)
			}
		}
	}
	for _, s := range schemas {
		visit(commonRefRE, s)
	}
	for i := 0; i < len(queue); i++ {
		visit(localRefRE, c.defs[queue[i]])
		visit(commonRefRE, c.defs[queue[i]])
	}
	sort.Strings(queue)
	// The other keys sorted, then "$defs", indented by two spaces.
	keys := append(sortedRawKeys(c.head), "$defs")
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, k := range keys {
		key, _ := json.Marshal(k)
		b.WriteString("  ")
		b.Write(key)
		b.WriteString(": ")
		if k != "$defs" {
			if err := json.Indent(&b, c.head[k], "  ", "  "); err != nil {
				return nil, err
			}
		} else if len(queue) == 0 {
			b.WriteString("{}")
		} else {
			b.WriteString("{\n")
			for j, name := range queue {
				if _, ok := c.defs[name]; !ok {
					return nil, fmt.Errorf("%s: a schema refers to common.json#/$defs/%s, which does not exist", p.Name, name)
				}
				def, err := c.indent(name)
				if err != nil {
					return nil, err
				}
				name, _ := json.Marshal(name)
				b.WriteString("    ")
				b.Write(name)
				b.WriteString(": ")
				b.Write(def)
				if j < len(queue)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString("  }")
		}
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func sortedRawKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
