package catalogimport

import (
	"encoding/json"
	"testing"
)

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func compact(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The relaxer keeps types and structure and drops what real payloads break.
func TestRelax(t *testing.T) {
	cases := []struct {
		name, in, want string
		r              relaxer
	}{
		{"optional properties accept null; required ones stay as they are; required itself goes",
			`{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}`,
			`{"properties":{"a":{"type":"string"},"b":{"type":["integer","null"]}},"type":"object"}`, relaxer{}},
		{"OpenAPI 3.0 nullable becomes a null type",
			`{"type":"string","nullable":true,"maxLength":5000}`,
			`{"type":["string","null"]}`, relaxer{}},
		{"a nullable $ref-only anyOf gains a null branch",
			`{"anyOf":[{"$ref":"#/components/schemas/customer"}],"nullable":true,"description":"d"}`,
			`{"anyOf":[{"$ref":"#/$defs/customer"},{"type":"null"}],"description":"d"}`, relaxer{refPrefix: localRef}},
		{"an optional $ref is wrapped to accept null, keeping its description outside",
			`{"properties":{"c":{"$ref":"#/components/schemas/a~1b","description":"d"}}}`,
			`{"properties":{"c":{"anyOf":[{"$ref":"common.json#/$defs/a~1b"},{"type":"null"}],"description":"d"}}}`, relaxer{refPrefix: commonRef}},
		{"oneOf becomes anyOf: a value matching two branches is no error",
			`{"oneOf":[{"type":"string"},{"type":"string","enum":["x"]}]}`,
			`{"anyOf":[{"type":"string"},{"type":"string"}]}`, relaxer{}},
		{"enums, formats, patterns, lengths, x- keys, examples go; closed objects open",
			`{"type":"object","additionalProperties":false,"x-stripeBypassValidation":true,"properties":{"s":{"type":"string","enum":["a"],"format":"uri","pattern":"^a$","examples":["a"]}},"required":["s"]}`,
			`{"properties":{"s":{"type":"string"}},"type":"object"}`, relaxer{}},
		{"a map keeps the schema of its values",
			`{"type":"object","additionalProperties":{"type":"integer","minimum":0}}`,
			`{"additionalProperties":{"type":"integer"},"type":"object"}`, relaxer{}},
		{"descriptions keep their first paragraph on one line",
			`{"type":"string","description":"One\nline.\n\nSecond paragraph."}`,
			`{"description":"One line.","type":"string"}`, relaxer{}},
		{"numeric times: a date-time may be Unix seconds",
			`{"type":["string","null"],"format":"date-time"}`,
			`{"type":["integer","null","string"]}`, relaxer{numericTimes: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := compact(t, c.r.schema(mustDecode(t, c.in))); got != c.want {
				t.Errorf("\ngot  %s\nwant %s", got, c.want)
			}
		})
	}
}

// Merging action variants accepts what any variant accepts.
func TestMergeSchemas(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"equal schemas stay one", `[{"type":"string"},{"type":"string"}]`, `{"type":"string"}`},
		{"scalars merge their types", `[{"type":"string"},{"type":["integer","null"]}]`, `{"type":["integer","null","string"]}`},
		{"objects merge their properties; one only some have is nullable",
			`[{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}},{"type":"object","properties":{"a":{"type":"string"}}}]`,
			`{"properties":{"a":{"type":"string"},"b":{"type":["integer","null"]}},"type":"object"}`},
		{"anything else is an anyOf of the distinct schemas",
			`[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/b"},{"$ref":"#/$defs/a"}]`,
			`{"anyOf":[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/b"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			list, _ := mustDecode(t, c.in).([]any)
			if got := compact(t, mergeSchemas(list)); got != c.want {
				t.Errorf("\ngot  %s\nwant %s", got, c.want)
			}
		})
	}
}

// Both OpenAPI webhook sections are read, with examples and $ref'd bodies.
func TestWebhooksSections(t *testing.T) {
	for _, section := range []string{"webhooks", "x-webhooks"} {
		doc, err := openAPI([]byte(`{"openapi":"3.1.0","` + section + `":{
			"b.created":{"post":{"summary":"B","requestBody":{"$ref":"#/components/requestBodies/B"}}},
			"a.created":{"post":{"summary":"A","requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/A"},
				"examples":{"one":{"value":{"id":1}},"two":{"$ref":"#/components/examples/Two"}}}}}}}},
			"components":{"schemas":{"A":{"type":"object"}},
				"requestBodies":{"B":{"content":{"application/json":{"schema":{"type":"object"}}}}},
				"examples":{"Two":{"value":{"id":2}}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		hooks, err := doc.webhooks()
		if err != nil {
			t.Fatal(err)
		}
		if len(hooks) != 2 || hooks[0].key != "a.created" || hooks[1].key != "b.created" {
			t.Fatalf("%s: got %+v", section, hooks)
		}
		if got := compact(t, hooks[0].examples); got != `[{"id":1},{"id":2}]` {
			t.Errorf("%s: examples %s", section, got)
		}
		if got := compact(t, hooks[1].schema); got != `{"type":"object"}` {
			t.Errorf("%s: $ref'd request body schema %s", section, got)
		}
	}
	if _, err := openAPI([]byte(`{"openapi":"3.0.0","paths":{}}`)); err != nil {
		t.Fatal(err)
	} else if doc, _ := openAPI([]byte(`{"openapi":"3.0.0","paths":{}}`)); doc != nil {
		if _, err := doc.webhooks(); err == nil {
			t.Error("a document without webhooks gave no error")
		}
	}
}
