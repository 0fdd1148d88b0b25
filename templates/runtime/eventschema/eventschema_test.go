package eventschema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/jsondoc"
)

func TestValidateFallsBackToTheCatchAll(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/thing_created.json": {Data: []byte(`{"type":"object","required":["thing"]}`)},
		"acme/any.json":           {Data: []byte(`{"type":"object","required":["type","id"],"properties":{"id":{"type":"string"}}}`)},
		"other/x.json":            {Data: []byte(`{"type":"object"}`)},
	}
	v, err := New(fsys, Index{"acme": {"thing.created": "thing_created.json", "*": "any.json"}, "other": {"x": "x.json"}})
	if err != nil {
		t.Fatal(err)
	}
	doc := func(s string) any {
		d, err := jsondoc.Decode([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if err := v.Validate("acme", "thing.created", doc(`{"thing":1}`)); err != nil {
		t.Errorf("own schema: %v", err)
	}
	if err := v.Validate("acme", "thing.created", doc(`{"type":"thing.created","id":"1"}`)); err == nil {
		t.Error("own schema not applied")
	}
	if err := v.Validate("acme", "other.type", doc(`{"type":"other.type","id":"1"}`)); err != nil {
		t.Errorf("catch-all: %v", err)
	}
	err = v.Validate("acme", "other.type", doc(`{"type":"other.type","id":["wrong"]}`))
	if err == nil || !strings.Contains(err.Error(), "/id") {
		t.Errorf("catch-all schema not applied to a type without its own: %v", err)
	}
	if err := v.Validate("other", "unknown", doc(`[]`)); err != nil {
		t.Errorf("a provider without a catch-all checks nothing for unknown types: %v", err)
	}
}

// Every failure is named by its location, also those inside a schema
// another file defines ($ref), in a stable order.
func TestMessagesNameEveryFailure(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/common.json": {Data: []byte(`{"$defs":{"Thing":{"type":"object","properties":{"amount":{"type":"integer"},"a/b":{"type":"string"}}}}}`)},
		"acme/created.json": {Data: []byte(`{"type":"object","required":["id"],"properties":{
			"created":{"type":"integer"},
			"data":{"type":"object","properties":{"object":{"$ref":"common.json#/$defs/Thing"}}}}}`)},
	}
	v, err := New(fsys, Index{"acme": {"thing.created": "created.json"}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsondoc.Decode([]byte(`{"created":"x","data":{"object":{"amount":["wrong"],"a/b":1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = v.Validate("acme", "thing.created", doc)
	want := "/: missing property 'id'\n/created: got string, want integer\n/data/object/amount: got array, want integer\n/data/object/a~1b: got number, want string"
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	if err := v.Check(&event.Event{Provider: "acme", Type: "thing.created", Body: []byte(`{"id":"1","created":1}`)}); err != nil {
		t.Fatalf("a valid event: %v", err)
	}
	if err := v.Check(&event.Event{Provider: "acme", Type: "thing.created", Body: []byte(`{"created":1}`)}); err == nil || !strings.HasPrefix(err.Error(), "schema: /: missing property 'id'") {
		t.Fatalf("Check: %v", err)
	}
}
