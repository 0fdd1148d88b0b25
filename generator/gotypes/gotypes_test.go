package gotypes_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/gotypes"
)

// generate runs Generate on events given as "TypeName=schema" and returns
// the type-checked source.
func generate(t *testing.T, common string, events ...string) []byte {
	t.Helper()
	var evs []gotypes.Event
	for _, e := range events {
		name, schema, ok := strings.Cut(e, "=")
		if !ok {
			t.Fatalf("event %q: want TypeName=schema", e)
		}
		evs = append(evs, gotypes.Event{Name: strings.ToLower(name), TypeName: name, Schema: []byte(schema)})
	}
	var c []byte
	if common != "" {
		c = []byte(common)
	}
	src, err := gotypes.Generate("p", "// Code generated for a test. DO NOT EDIT.\n", eventImport, c, evs)
	if err != nil {
		t.Fatal(err)
	}
	typecheck(t, src)
	return src
}

// fieldLines lists the fields of every struct in src as
// "Type.Field GoType jsontag", and the declared types.
func fieldLines(t *testing.T, src []byte) (lines []string, typeNames []string) {
	t.Helper()
	f := typecheck(t, src)
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok {
				continue
			}
			typeNames = append(typeNames, ts.Name.Name)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fl := range st.Fields.List {
				tag := ""
				if fl.Tag != nil {
					raw, err := strconv.Unquote(fl.Tag.Value)
					if err != nil {
						t.Fatal(err)
					}
					tag = reflect.StructTag(raw).Get("json")
				}
				for _, n := range fl.Names {
					lines = append(lines, ts.Name.Name+"."+n.Name+" "+types.ExprString(fl.Type)+" "+tag)
				}
			}
		}
	}
	return lines, typeNames
}

func obj(props string, required ...string) string {
	r := ""
	if len(required) > 0 {
		r = `, "required": ["` + strings.Join(required, `", "`) + `"]`
	}
	return `{"type": "object", "properties": {` + props + `}` + r + `}`
}

func defs(entries string) string { return `{"$defs": {` + entries + `}}` }

func TestGenerateRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		common string
		events []string
		want   []string // field lines that must be there
		types  []string // types that must be declared
		absent []string // types that must not be declared
		fields int      // when not 0: how many fields all structs have
	}{
		{
			name: "scalars, nullable type lists, required",
			events: []string{"E=" + obj(`
				"s": {"type": "string", "format": "date-time", "maxLength": 9},
				"i": {"type": "integer", "minimum": 0},
				"n": {"type": "number"},
				"b": {"type": "boolean", "default": false},
				"ns": {"type": ["string", "null"]},
				"ni": {"type": ["null", "integer"]},
				"multi": {"type": ["integer", "string"]},
				"any": {},
				"yes": true,
				"no": false`, "s", "ns")},
			want: []string{
				"E.S string s", "E.I int64 i,omitempty", "E.N float64 n,omitempty", "E.B bool b,omitempty",
				"E.Ns *string ns", "E.Ni *int64 ni,omitempty", "E.Multi event.Flexible multi,omitempty",
				"E.Any event.Flexible any,omitempty", "E.Yes event.Flexible yes,omitempty",
			},
		},
		{
			name: "anyOf and oneOf with null, in any order",
			common: defs(`"simple-user": ` + obj(`"login": {"type": "string"}`) + `,
				"labels": {"type": "array", "items": {"type": "string"}}`),
			events: []string{"E=" + obj(`
				"a": {"anyOf": [{"type": "null"}, {"$ref": "common.json#/$defs/simple-user"}]},
				"b": {"oneOf": [{"$ref": "common.json#/$defs/simple-user"}, {"type": "null"}]},
				"c": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
				"d": {"anyOf": [{"type": "null"}, {"$ref": "common.json#/$defs/labels"}]},
				"e": {"anyOf": [{"type": "boolean"}, {"enum": [null]}]},
				"f": {"anyOf": [{"type": "null"}]}`)},
			want: []string{
				"E.A *SimpleUser a,omitempty", "E.B *SimpleUser b,omitempty", "E.C *int64 c,omitempty",
				"E.D []string d,omitempty", "E.E *bool e,omitempty", "E.F event.Flexible f,omitempty",
				"SimpleUser.Login string login,omitempty",
			},
		},
		{
			name: "Stripe expandable fields",
			common: defs(`"customer": ` + obj(`"id": {"type": "string"}`) + `,
				"deleted_customer": ` + obj(`"deleted": {"type": "boolean"}`) + `,
				"customer_id": {"type": "string"}`),
			events: []string{"E=" + obj(`
				"customer": {"anyOf": [{"maxLength": 5000, "type": "string"}, {"$ref": "common.json#/$defs/customer"}, {"$ref": "common.json#/$defs/deleted_customer"}]},
				"nullable": {"anyOf": [{"type": "string"}, {"$ref": "common.json#/$defs/customer"}, {"type": "null"}]},
				"ref_first": {"anyOf": [{"$ref": "common.json#/$defs/deleted_customer"}, {"type": "string"}]},
				"not_object": {"anyOf": [{"type": "string"}, {"$ref": "common.json#/$defs/customer_id"}, {"$ref": "common.json#/$defs/customer"}]}`)},
			want: []string{
				"E.Customer event.Expandable[Customer] customer,omitempty",
				"E.Nullable event.Expandable[Customer] nullable,omitempty",
				"E.RefFirst event.Expandable[DeletedCustomer] ref_first,omitempty",
				"E.NotObject event.Flexible not_object,omitempty",
			},
		},
		{
			name: "other unions: Flexible, or the scalar type all branches share",
			common: defs(`"a": ` + obj(`"x": {"type": "string"}`) + `,
				"b": ` + obj(`"y": {"type": "string"}`) + `,
				"state": {"type": "string", "enum": ["open"]}`),
			events: []string{"E=" + obj(`
				"objects": {"oneOf": [{"$ref": "common.json#/$defs/a"}, {"$ref": "common.json#/$defs/b"}]},
				"mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
				"numbers": {"anyOf": [{"type": "number"}, {"type": "integer"}]},
				"strings": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}, {"$ref": "common.json#/$defs/state"}]},
				"nullable_strings": {"oneOf": [{"enum": ["a", "b"]}, {"type": "string"}, {"type": "null"}]},
				"constraints_only": {"type": "integer", "anyOf": [{"minimum": 1}, {"maximum": -1}]}`)},
			want: []string{
				"E.Objects event.Flexible objects,omitempty", "E.Mixed event.Flexible mixed,omitempty",
				"E.Numbers event.Flexible numbers,omitempty", "E.Strings string strings,omitempty",
				"E.NullableStrings *string nullable_strings,omitempty", "E.ConstraintsOnly int64 constraints_only,omitempty",
			},
			absent: []string{"A", "B"}, // only met in a union that became Flexible
		},
		{
			name: "allOf: one branch is the branch, several merge their properties",
			common: defs(`"base": ` + obj(`"id": {"type": "integer"}, "state": {"type": "string"}`, "id") + `,
				"ruleset": {"allOf": [{"$ref": "#/$defs/base"}, ` + obj(`"rules": {"type": "array", "items": {"type": "string"}}`) + `]}`),
			events: []string{"E=" + obj(`
				"one": {"allOf": [{"$ref": "common.json#/$defs/base"}]},
				"merged": {"description": "An issue.", "allOf": [
					{"$ref": "common.json#/$defs/base"},
					{"type": "object", "properties": {"state": {"type": ["null"]}, "title": {"type": "string"}}, "required": ["title"]}]},
				"named": {"$ref": "common.json#/$defs/ruleset"}`)},
			want: []string{
				"E.One *Base one,omitempty", "E.Merged *EMerged merged,omitempty", "E.Named *Ruleset named,omitempty",
				// the first schema of a property wins: state stays a string
				"EMerged.ID int64 id", "EMerged.State string state,omitempty", "EMerged.Title string title",
				"Ruleset.ID int64 id", "Ruleset.Rules []string rules,omitempty",
			},
		},
		{
			name: "definitions: named after the component, emitted once, only when reachable",
			common: defs(`"pull-request-webhook": ` + obj(`"head": `+obj(`"sha": {"type": "string"}`)) + `,
				"checkout.session": ` + obj(`"id": {"type": "string"}`) + `,
				"payment_method_details_card": ` + obj(`"brand": {"type": "string"}`) + `,
				"a/b~c": ` + obj(`"x": {"type": "string"}`) + `,
				"unused": ` + obj(`"x": {"type": "string"}`)),
			events: []string{
				"PullRequestEvent=" + obj(`"pull_request": {"$ref": "common.json#/$defs/pull-request-webhook"},
					"session": {"$ref": "common.json#/$defs/checkout.session"},
					"escaped": {"$ref": "common.json#/$defs/a~1b~0c"}`),
				"OtherEvent=" + obj(`"pr": {"$ref": "common.json#/$defs/pull-request-webhook"},
					"card": {"$ref": "common.json#/$defs/payment_method_details_card"}`),
			},
			want: []string{
				"PullRequestEvent.PullRequest *PullRequestWebhook pull_request,omitempty",
				"PullRequestEvent.Session *CheckoutSession session,omitempty",
				"PullRequestEvent.Escaped *ABC escaped,omitempty",
				"OtherEvent.Pr *PullRequestWebhook pr,omitempty",
				"OtherEvent.Card *PaymentMethodDetailsCard card,omitempty",
				"PullRequestWebhook.Head *PullRequestWebhookHead head,omitempty",
			},
			absent: []string{"Unused"},
		},
		{
			name: "non-object definitions are inlined",
			common: defs(`"webhooks_nullable_string": {"type": ["string", "null"]},
				"alias": {"$ref": "#/$defs/webhooks_nullable_string"},
				"ids": {"type": "array", "items": {"type": "integer"}},
				"nullable-app": {"anyOf": [{"type": "null"}, ` + obj(`"slug": {"type": "string"}`) + `]},
				"apps": {"type": "array", "items": ` + obj(`"name": {"type": "string"}`) + `},
				"either": {"oneOf": [{"type": "string"}, {"type": "integer"}]}`),
			events: []string{"E=" + obj(`
				"s": {"$ref": "common.json#/$defs/webhooks_nullable_string"},
				"alias": {"$ref": "common.json#/$defs/alias"},
				"ids": {"$ref": "common.json#/$defs/ids"},
				"app": {"$ref": "common.json#/$defs/nullable-app"},
				"apps": {"$ref": "common.json#/$defs/apps"},
				"either": {"$ref": "common.json#/$defs/either"}`)},
			want: []string{
				"E.S *string s,omitempty", "E.Alias *string alias,omitempty", "E.Ids []int64 ids,omitempty",
				"E.App *NullableApp app,omitempty", "E.Apps []AppsItem apps,omitempty", "E.Either event.Flexible either,omitempty",
				"NullableApp.Slug string slug,omitempty", "AppsItem.Name string name,omitempty",
			},
			absent: []string{"WebhooksNullableString", "Ids", "Either"},
		},
		{
			name: "type names: roots first, then definitions, then inline objects; 2, 3, ... on a collision",
			common: defs(`"push-event": ` + obj(`"a": {"type": "string"}`) + `,
				"foo_bar": ` + obj(`"b": {"type": "string"}`) + `,
				"foo-bar": ` + obj(`"c": {"type": "string"}`) + `,
				"push-event-data": ` + obj(`"d": {"type": "string"}`)),
			events: []string{"PushEvent=" + obj(`
				"data": `+obj(`"x": {"type": "string"}`)+`,
				"shared": {"$ref": "common.json#/$defs/push-event"},
				"one": {"$ref": "common.json#/$defs/foo_bar"},
				"two": {"$ref": "common.json#/$defs/foo-bar"},
				"three": {"$ref": "common.json#/$defs/push-event-data"},
				"nested": `+obj(`"data": `+obj(`"y": {"type": "string"}`))),
			},
			want: []string{
				"PushEvent.Data *PushEventData2 data,omitempty",
				"PushEvent.Shared *PushEvent2 shared,omitempty",
				"PushEvent.One *FooBar one,omitempty", "PushEvent.Two *FooBar2 two,omitempty",
				"PushEvent.Three *PushEventData three,omitempty",
				// nearest named type + field, not every ancestor: PushEventData, taken twice
				"PushEventNested.Data *PushEventData3 data,omitempty",
				"PushEventData.D string d,omitempty", "PushEventData2.X string x,omitempty", "PushEventData3.Y string y,omitempty",
			},
		},
		{
			name: "field names: + and -, collisions, no letters, names a tag cannot hold",
			events: []string{"E=" + obj(`
				"+1": {"type": "integer"}, "-1": {"type": "integer"},
				"id": {"type": "string"}, "ID": {"type": "string"}, "Id": {"type": "string"}, "id_2": {"type": "string"},
				"$": {"type": "string"}, "@": {"type": "string"}, "名前": {"type": "string"},
				"a\"b": {"type": "string"}, "a,b": {"type": "string"}, "a`+"`"+`b": {"type": "string"}, "": {"type": "string"},
				"with space": {"type": "string"}`)},
			want: []string{
				"E.Plus1 int64 +1,omitempty", "E.Minus1 int64 -1,omitempty",
				"E.ID string id,omitempty", "E.ID3 string ID,omitempty", "E.ID4 string Id,omitempty", "E.ID2 string id_2,omitempty",
				"E.Field string $,omitempty", "E.Field2 string @,omitempty", "E.Field3 string 名前,omitempty",
				"E.WithSpace string with space,omitempty",
			},
			fields: 10, // not a"b, a,b, a`b and ""
		},
		{
			name: "inline objects: named where they stand; identical schemas in one root share one type",
			events: []string{"E=" + obj(`
				"assignee": {"title": "User", "type": ["object", "null"], "properties": {"login": {"type": "string"}}},
				"sender": {"title": "User", "description": "Another description.", "type": ["object", "null"], "properties": {"login": {"type": "string", "description": "x"}}},
				"owner": {"title": "User", "type": "object", "properties": {"id": {"type": "integer"}}},
				"app": {"title": "GitHub app", "type": "object", "properties": {"owner": `+obj(`"id": {"type": "integer"}`)+`}},
				"head": `+obj(`"sha": {"type": "string"}`)+`,
				"base": `+obj(`"sha": {"type": "string"}`)+`,
				"items": {"type": "array", "items": `+obj(`"sha": {"type": "string"}`)+`}`)},
			// Named after where they stand in their root, never after a
			// title that another root might claim first.
			want: []string{
				"E.Assignee *EAssignee assignee,omitempty", "E.Sender *EAssignee sender,omitempty",
				"E.Owner *EOwner owner,omitempty", "E.App *EApp app,omitempty",
				"EApp.Owner *EOwner2 owner,omitempty",
				"E.Head *EHead head,omitempty", "E.Base *EHead base,omitempty", "E.Items []EHead items,omitempty",
			},
			absent: []string{"EBase", "EItemsItem", "User", "GitHubApp"},
		},
		{
			name: "enum and const without a type",
			events: []string{"E=" + obj(`
				"s": {"enum": ["a", "b"]}, "i": {"enum": [1, 2]}, "n": {"enum": [1, 2.5]},
				"b": {"const": true}, "ns": {"enum": ["a", null]}, "mixed": {"enum": ["a", 1]},
				"typed": {"type": "string", "enum": [1]}`)},
			want: []string{
				"E.S string s,omitempty", "E.I int64 i,omitempty", "E.N float64 n,omitempty", "E.B bool b,omitempty",
				"E.Ns *string ns,omitempty", "E.Mixed event.Flexible mixed,omitempty", "E.Typed string typed,omitempty",
			},
		},
		{
			name: "maps and arrays",
			events: []string{"E=" + obj(`
				"meta": {"type": "object", "additionalProperties": {"type": "string"}},
				"counts": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
				"free": {"type": "object"},
				"open": {"type": "object", "additionalProperties": true},
				"closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
				"objs": {"type": "object", "additionalProperties": `+obj(`"v": {"type": "string"}`)+`},
				"list": {"type": "array"},
				"grid": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
				"nullable_list": {"type": ["array", "null"], "items": {"type": "string"}}`)},
			want: []string{
				"E.Meta map[string]string meta,omitempty", "E.Counts map[string]int64 counts,omitempty",
				"E.Free map[string]any free,omitempty", "E.Open map[string]any open,omitempty",
				"E.Closed *EClosed closed,omitempty", "E.Objs map[string]EObjsValue objs,omitempty",
				"E.List []event.Flexible list,omitempty", "E.Grid [][]float64 grid,omitempty",
				"E.NullableList []string nullable_list,omitempty",
			},
		},
		{
			name: "reference cycles",
			common: defs(`"node": ` + obj(`"parent": {"$ref": "#/$defs/node"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}, "other": {"$ref": "#/$defs/other"}`) + `,
				"other": ` + obj(`"node": {"$ref": "#/$defs/nullable-node"}`) + `,
				"nullable-node": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]},
				"list": {"type": "array", "items": {"$ref": "#/$defs/list"}},
				"loop": {"allOf": [{"$ref": "#/$defs/loop2"}, ` + obj(`"a": {"type": "string"}`) + `]},
				"loop2": {"allOf": [{"$ref": "#/$defs/loop"}, ` + obj(`"b": {"type": "string"}`) + `]}`),
			events: []string{"E=" + obj(`
				"node": {"$ref": "common.json#/$defs/nullable-node"},
				"list": {"$ref": "common.json#/$defs/list"},
				"loop": {"$ref": "common.json#/$defs/loop"}`)},
			want: []string{
				"E.Node *Node node,omitempty", "Node.Parent *Node parent,omitempty", "Node.Children []Node children,omitempty",
				"Node.Other *Other other,omitempty", "Other.Node *Node node,omitempty",
				"E.List []event.Flexible list,omitempty",
				"E.Loop *Loop loop,omitempty", "Loop.B string b,omitempty", "Loop.A string a,omitempty",
			},
		},
		{
			name:   "event-local definitions and roots built from $ref and allOf",
			common: defs(`"envelope": ` + obj(`"id": {"type": "string"}, "type": {"type": "string"}`, "id")),
			events: []string{
				"AEvent=" + `{"$defs": {"thing": ` + obj(`"a": {"type": "string"}`) + `}, "allOf": [{"$ref": "common.json#/$defs/envelope"}, ` + obj(`"thing": {"$ref": "#/$defs/thing"}`) + `]}`,
				"BEvent=" + `{"$defs": {"thing": ` + obj(`"b": {"type": "string"}`) + `}, "$ref": "common.json#/$defs/envelope", "properties": {"thing": {"$ref": "#/$defs/thing"}}}`,
				"CEvent=" + `{"anyOf": [` + obj(`"x": {"type": "string"}`, "x") + `, ` + obj(`"y": {"type": "string"}`) + `]}`,
			},
			want: []string{
				"AEvent.ID string id", "AEvent.Type string type,omitempty", "AEvent.Thing *Thing thing,omitempty",
				"BEvent.ID string id", "BEvent.Type string type,omitempty", "BEvent.Thing *Thing2 thing,omitempty",
				"Thing.A string a,omitempty", "Thing2.B string b,omitempty",
				"CEvent.X string x,omitempty", "CEvent.Y string y,omitempty",
			},
			absent: []string{"Envelope"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := generate(t, tc.common, tc.events...)
			lines, names := fieldLines(t, src)
			for _, w := range tc.want {
				if !slices.Contains(lines, w) {
					t.Errorf("missing field %q", w)
				}
			}
			if tc.fields != 0 && len(lines) != tc.fields {
				t.Errorf("%d fields, want %d", len(lines), tc.fields)
			}
			for _, n := range tc.types {
				if !slices.Contains(names, n) {
					t.Errorf("missing type %s", n)
				}
			}
			for _, n := range tc.absent {
				if slices.Contains(names, n) {
					t.Errorf("unexpected type %s", n)
				}
			}
			if t.Failed() {
				t.Logf("fields:\n%s\n\nsource:\n%s", strings.Join(lines, "\n"), src)
			}
		})
	}
}

func TestDocComments(t *testing.T) {
	long := strings.Repeat("word ", 100)
	escapes := []string{
		"ends the struct\n}\n\nfunc init() { panic(1) }",
		"ends the struct\n}\nfunc init() { panic(2) }\n/*",
		"carriage return\rfunc init() { panic(3) }",
		"line separator\u2028func init() { panic(4) }\u2029var X = 1",
		"vertical tab\u000bfunc init() { panic(5) }\u000cvar Y = 1\u0085var Z = 2",
		"nul\u0000 and bom\ufeff and bidi\u202e) }",
		"*/ func init() { panic(6) } /*",
		"//go:generate rm -rf /\n//go:build ignore",
		"\\n\\\" `",
	}
	var props []string
	for i, e := range escapes {
		d, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		props = append(props, fmt.Sprintf(`"e%d": {"type": "string", "description": %s}`, i, d))
	}
	props = append(props,
		`"paragraphs": {"type": "string", "description": "First paragraph,\nstill first.\n\nSecond paragraph.\n\n    code"}`,
		`"long": {"type": "string", "description": "`+long+`"}`,
		`"sentences": {"type": "string", "description": "`+strings.Repeat("A sentence. ", 40)+`"}`,
		`"indented": {"type": "string", "description": "list:\n  - one\n  - two"}`,
	)
	// Declarations' doc comments go through go/doc/comment as gofmt's do
	// (generate checks the output is gofmt's).
	typeDoc, err := json.Marshal("Quotes ``like this'' and ```code```,\n- a list\n# a heading\n[a]: https://example.com/''\n\tindented\nhttps://example.com/``x''")
	if err != nil {
		t.Fatal(err)
	}
	props = append(props, `"typed": {"type": "object", "description": `+string(typeDoc)+`, "properties": {"x": {"type": "string"}}}`)
	src := generate(t, `{"$defs": {"d": {"type": "object", "description": `+string(typeDoc)+`, "properties": {"x": {"type": "string"}}}}}`,
		`E={"description": "The event.\n\nMore.", "type": "object", "properties": {`+strings.Join(props, ", ")+`, "d": {"$ref": "common.json#/$defs/d"}}}`)
	f := typecheck(t, src)
	var names []string
	for _, d := range f.Decls {
		names = append(names, declName(d))
	}
	if !slices.Equal(names, []string{"E", "ETyped", "D"}) {
		t.Errorf("declarations %q, want E, ETyped and D only:\n%s", names, src)
	}
	text := string(src)
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "panic") && !strings.HasPrefix(l, "// ") {
			t.Errorf("description outside a comment: %q", l)
		}
		if strings.HasPrefix(l, "//go:") {
			t.Errorf("a directive: %q", l)
		}
		if len(l) > 400 {
			t.Errorf("line of %d bytes", len(l))
		}
	}
	for _, bad := range []string{"\x00", "\ufeff", "\u202e", "\r", "\u2028", "Second paragraph", "More.", "    code"} {
		if strings.Contains(text, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	for _, want := range []string{
		"// E is the payload of \"e\". The event.\n",
		"\t// First paragraph,\n\t// still first.\n",
		"\t// list:\n\t// - one\n\t// - two\n",
		"\t// " + strings.TrimSpace(strings.Repeat("A sentence. ", 25)) + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
	if !strings.Contains(text, "word word ...\n") {
		t.Errorf("a long description is not cut:\n%s", src)
	}
}

// FuzzGenerate: whatever the schemas, Generate fails or writes Go that
// type-checks.
func FuzzGenerate(f *testing.F) {
	f.Add(`{"$defs": {"a": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/b"}]}, "b": {"properties": {"+1": {"$ref": "#/$defs/a"}}}}}`,
		`{"properties": {"x": {"$ref": "common.json#/$defs/a"}, "y": {"allOf": [{"$ref": "common.json#/$defs/b"}, {"title": "B", "properties": {"-1": {"enum": [1, null]}}}]}}}`)
	f.Add(`{"$defs": {"l": {"type": "array", "items": {"$ref": "#/$defs/l"}}}}`,
		`{"type": "object", "properties": {"l": {"$ref": "common.json#/$defs/l"}, "m": {"additionalProperties": {"title": "M", "properties": {"a": {}}}}}}`)
	f.Add(`{"$defs": {"l": {"items": {"$ref": "0"}}}}`, `{"properties": {"0": {"$ref": "common.json#/$defs/l"}}}`) // an error inside an inlined definition
	f.Fuzz(func(t *testing.T, common, event string) {
		var src []byte
		var err error
		done := make(chan bool)
		go func() {
			defer close(done)
			src, err = gotypes.Generate("p", "", eventImport, []byte(common), []gotypes.Event{
				{Name: "e", TypeName: "E", Schema: []byte(event)},
				{Name: "f", TypeName: "F", Schema: []byte(`{"properties": {"e": ` + event + `}}`)},
			})
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second): // no input may make it crawl
			t.Fatalf("slow: %q %q", common, event)
		}
		if err != nil {
			return
		}
		typecheck(t, src)
	})
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, common, schema, want string
	}{
		{"missing definition", defs(`"a": {"type": "string"}`), obj(`"x": {"$ref": "common.json#/$defs/b"}`), `no such definition`},
		{"no common.json", "", obj(`"x": {"$ref": "common.json#/$defs/a"}`), `no common.json`},
		{"another file", defs(`"a": {}`), obj(`"x": {"$ref": "other.json#/$defs/a"}`), `only #/$defs/X`},
		{"a pointer deeper than $defs", defs(`"a": {}`), obj(`"x": {"$ref": "common.json#/$defs/a/properties/b"}`), `only #/$defs/X`},
		{"invalid event JSON", "", `{"properties": {`, `e: invalid JSON`},
		{"invalid common.json", `{"$defs": {`, obj(``), `common.json: invalid JSON`},
		{"invalid JSON inside a used definition", `{"$defs": {"a": {"type": [1 2]}}}`, obj(`"x": {"$ref": "common.json#/$defs/a"}`), `"a": invalid JSON at line 1, column 29`},
		{"a root that is not an object", "", `[]`, `a schema must be a JSON object`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var common []byte
			if tc.common != "" {
				common = []byte(tc.common)
			}
			_, err := gotypes.Generate("p", "", eventImport, common, []gotypes.Event{{Name: "e", TypeName: "E", Schema: []byte(tc.schema)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
	_, err := gotypes.Generate("p", "", eventImport, nil, []gotypes.Event{
		{Name: "a", TypeName: "E", Schema: []byte(`{}`)}, {Name: "b", TypeName: "E", Schema: []byte(`{}`)},
	})
	if err == nil {
		t.Error("two events with one TypeName: no error")
	}
}

// TestGenerateIsDeterministic: the same input gives the same bytes; each
// struct comes after the first one to use it; an unused broken definition
// does not matter.
func TestGenerateIsDeterministic(t *testing.T) {
	common := defs(`"b": ` + obj(`"z": {"type": "string"}, "a": {"type": "integer"}`) + `, "broken": {"type": [1 2]}`)
	events := []string{
		"E=" + obj(`"b": {"$ref": "common.json#/$defs/b"}, "x": `+obj(`"y": {"type": "string"}`)),
		"F=" + obj(`"x": `+obj(`"y": {"type": "string"}`)),
	}
	first := generate(t, common, events...)
	for range 5 {
		if again := generate(t, common, events...); string(again) != string(first) {
			t.Fatalf("output differs:\n%s\n---\n%s", first, again)
		}
	}
	lines, _ := fieldLines(t, first)
	// F's x is the same schema as E's, but F's type for it is its own: its
	// name must not depend on whether E is selected too.
	if want := []string{"E.B *B b,omitempty", "E.X *EX x,omitempty", "B.Z string z,omitempty", "B.A int64 a,omitempty", "EX.Y string y,omitempty", "F.X *FX x,omitempty", "FX.Y string y,omitempty"}; !slices.Equal(lines, want) {
		t.Errorf("fields %q, want %q", lines, want)
	}
}

// TestSharedBranchesStayLinear: definitions that each use the next one
// twice (anyOf, allOf) must not make the work grow with the number of
// paths, 2^40 here.
func TestSharedBranchesStayLinear(t *testing.T) {
	chain := func(branch, last string) string {
		var parts []string
		for i := range 40 {
			parts = append(parts, fmt.Sprintf(`"d%d": {%q: [{"$ref": "#/$defs/d%d"}, {"$ref": "#/$defs/d%d"}, {"type": "null"}]}`, i, branch, i+1, i+1))
		}
		return `{"$defs": {` + strings.Join(parts, ", ") + `, "d40": ` + last + `}}`
	}
	str, object := `{"type": "string"}`, obj(`"x": {"type": "string"}`)
	for _, tc := range []struct {
		name, common, want string
	}{
		{"anyOf of strings", chain("anyOf", str), "E.X *string x,omitempty"},
		{"anyOf of objects", chain("anyOf", object), "E.X *D40 x,omitempty"}, // a branch twice is once
		{"allOf of an object", chain("allOf", object), "E.X *D0 x,omitempty"},
		{"allOf of a string", chain("allOf", str), "E.X string x,omitempty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			src := generate(t, tc.common,
				"E="+obj(`"x": {"$ref": "common.json#/$defs/d0"}, "y": {"anyOf": [{"$ref": "common.json#/$defs/d0"}, {"$ref": "common.json#/$defs/d1"}]}`),
				`F={"anyOf": [{"$ref": "common.json#/$defs/d0"}, {"$ref": "common.json#/$defs/d1"}]}`)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if lines, _ := fieldLines(t, src); !slices.Contains(lines, tc.want) {
				t.Errorf("missing %q in %q", tc.want, lines)
			}
		})
	}
}
