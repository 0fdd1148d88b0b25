package eventschema

import (
	"strings"
	"testing"
	"testing/fstest"
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
		d, err := Decode([]byte(s))
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
