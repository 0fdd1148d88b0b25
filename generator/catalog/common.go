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
}

var commonCache sync.Map // *Provider → func() (*commonDefs, error)

func (p *Provider) commonDefs() (*commonDefs, error) {
	f, _ := commonCache.LoadOrStore(p, sync.OnceValues(func() (*commonDefs, error) {
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
	}))
	return f.(func() (*commonDefs, error))()
}

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
			name := strings.NewReplacer("~1", "/", "~0", "~").Replace(string(m[1]))
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
	var b bytes.Buffer
	b.WriteByte('{')
	for _, k := range sortedRawKeys(c.head) {
		fmt.Fprintf(&b, "%q:%s,", k, c.head[k])
	}
	b.WriteString(`"$defs":{`)
	for i, name := range queue {
		def, ok := c.defs[name]
		if !ok {
			return nil, fmt.Errorf("%s: a schema refers to common.json#/$defs/%s, which does not exist", p.Name, name)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(name)
		b.Write(key)
		b.WriteByte(':')
		b.Write(def)
	}
	b.WriteString("}}")
	var compact, out bytes.Buffer
	if err := json.Compact(&compact, b.Bytes()); err != nil {
		return nil, err
	}
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func sortedRawKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
