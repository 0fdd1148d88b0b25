package receive

import (
	"net/http"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/jsondoc"
)

// FuzzEventFields feeds arbitrary bodies and header values to the event type
// and id extraction: it must never panic, and what it returns must be
// storable or refused.
func FuzzEventFields(f *testing.F) {
	for _, seed := range []string{`{"type":"a","id":"b"}`, `{"data":{"object":{"id":1e999}}}`, `[]`, `"x"`, `{"type":{"a":1}}`,
		`{"type":null}`, `{"id":12345678901234567890123}`, "{\"id\":\"\\u0000\"}", `{`, ``} {
		f.Add([]byte(seed), "x-type", "data.object.id")
	}
	f.Fuzz(func(t *testing.T, body []byte, header, path string) {
		h := http.Header{"X-Event": {header}}
		doc, err := jsondoc.Decode(body)
		if err != nil {
			return
		}
		for _, sources := range [][]Source{{{Header: "X-Event"}}, {{JSON: path}}, {{JSON: "type"}, {Header: "X-Event"}}} {
			v := lookup(sources, h, doc, doc)
			_ = storable(v)
		}
	})
}
