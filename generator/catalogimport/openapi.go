package catalogimport

import (
	"fmt"
	"sort"
	"strings"
)

// openAPIDoc is an OpenAPI document, decoded.
type openAPIDoc struct {
	root       map[string]any
	components map[string]any
}

func openAPI(raw []byte) (*openAPIDoc, error) {
	v, err := decode(raw)
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("/: not an OpenAPI document (want an object)")
	}
	d := &openAPIDoc{root: root}
	if c, ok := root["components"].(map[string]any); ok {
		d.components, _ = c["schemas"].(map[string]any)
	}
	return d, nil
}

// component returns components.schemas[name].
func (d *openAPIDoc) component(name string) (any, bool) {
	s, ok := d.components[name]
	return s, ok
}

// resolve follows a schema's $ref into the components, if it has one.
func (d *openAPIDoc) resolve(s any) (map[string]any, bool) {
	m, ok := s.(map[string]any)
	if !ok {
		return nil, false
	}
	for range 16 {
		ref, isRef := m["$ref"].(string)
		if !isRef {
			return m, true
		}
		target, ok := d.component(componentName(ref))
		if !ok {
			return nil, false
		}
		if m, ok = target.(map[string]any); !ok {
			return nil, false
		}
	}
	return nil, false
}

// webhook is one entry of a document's webhooks section.
type webhook struct {
	key         string // its key in the section
	pointer     string // JSON pointer of its operation, for errors
	group       string // x-github.subcategory, when present
	operationID string
	summary     string
	description string
	schema      any // the request body's JSON schema, $ref unresolved
	examples    []any
}

// webhooks lists the operations of the 3.1 `webhooks` section or the 3.0
// `x-webhooks` one (the two Svix's importer reads too), sorted by key.
func (d *openAPIDoc) webhooks() ([]webhook, error) {
	section, name := d.root["webhooks"], "webhooks"
	if section == nil {
		section, name = d.root["x-webhooks"], "x-webhooks"
	}
	hooks, ok := section.(map[string]any)
	if !ok || len(hooks) == 0 {
		return nil, fmt.Errorf("/webhooks: the document has no webhooks (OpenAPI 3.1) or x-webhooks (3.0) section")
	}
	keys := make([]string, 0, len(hooks))
	for k := range hooks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []webhook
	for _, k := range keys {
		item, _ := hooks[k].(map[string]any)
		if ref, ok := item["$ref"].(string); ok {
			// A path item kept in components (OpenAPI 3.1).
			name, ok := strings.CutPrefix(ref, "#/components/pathItems/")
			c, _ := d.root["components"].(map[string]any)
			items, _ := c["pathItems"].(map[string]any)
			if item, _ = items[pointerUnescape(name)].(map[string]any); !ok || item == nil {
				return nil, fmt.Errorf("/%s/%s/$ref: %q names no components.pathItems entry", name0(d), pointerEscape(k), ref)
			}
		}
		for _, method := range []string{"post", "put", "patch", "get", "delete"} {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			w := webhook{key: k, pointer: "/" + name + "/" + pointerEscape(k) + "/" + method}
			w.operationID, _ = op["operationId"].(string)
			w.summary, _ = op["summary"].(string)
			w.description, _ = op["description"].(string)
			if xg, ok := op["x-github"].(map[string]any); ok {
				w.group, _ = xg["subcategory"].(string)
			}
			body, _ := op["requestBody"].(map[string]any)
			if ref, ok := body["$ref"].(string); ok {
				body = d.requestBody(ref)
			}
			content, _ := body["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			if media == nil {
				for _, ct := range sortedKeys(content) {
					media, _ = content[ct].(map[string]any)
					break
				}
			}
			if media == nil || media["schema"] == nil {
				return nil, fmt.Errorf("%s/requestBody: no request body schema", w.pointer)
			}
			w.schema = media["schema"]
			if ex, ok := media["example"]; ok {
				w.examples = append(w.examples, ex)
			}
			if exs, ok := media["examples"].(map[string]any); ok {
				for _, k := range sortedKeys(exs) {
					e, _ := exs[k].(map[string]any)
					if v, ok := e["value"]; ok {
						w.examples = append(w.examples, v)
					} else if ref, ok := e["$ref"].(string); ok {
						if v, ok := d.example(ref); ok {
							w.examples = append(w.examples, v)
						}
					}
				}
			}
			out = append(out, w)
		}
	}
	return out, nil
}

func (d *openAPIDoc) requestBody(ref string) map[string]any {
	name, ok := strings.CutPrefix(ref, "#/components/requestBodies/")
	if !ok {
		return nil
	}
	c, _ := d.root["components"].(map[string]any)
	rb, _ := c["requestBodies"].(map[string]any)
	m, _ := rb[pointerUnescape(name)].(map[string]any)
	return m
}

func (d *openAPIDoc) example(ref string) (any, bool) {
	name, ok := strings.CutPrefix(ref, "#/components/examples/")
	if !ok {
		return nil, false
	}
	c, _ := d.root["components"].(map[string]any)
	exs, _ := c["examples"].(map[string]any)
	e, _ := exs[pointerUnescape(name)].(map[string]any)
	v, ok := e["value"]
	return v, ok
}

// name0 is the name of the document's webhooks section.
func name0(d *openAPIDoc) string {
	if d.root["webhooks"] != nil {
		return "webhooks"
	}
	return "x-webhooks"
}
