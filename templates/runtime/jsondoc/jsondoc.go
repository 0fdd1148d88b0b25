// Package jsondoc reads decoded JSON documents the way the receive path,
// the signature schemes and the schema check all need: one value decoded
// with exact numbers, the text at a dotted path, and a batch's items. It
// depends on the standard library only, so the generator can share it
// without taking in the service's schema validator.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// Decode decodes exactly one JSON value: numbers stay json.Number, so ids
// and amounts beyond 2^53 survive and schemas see them exactly.
func Decode(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return doc, nil
}

// Text is the string or number at a dotted path through objects of a
// decoded document (see Decode), as text; ok is false when there is none.
func Text(doc any, path string) (text string, ok bool) {
	for _, key := range strings.Split(path, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return "", false
		}
		doc = m[key]
	}
	switch v := doc.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// Batch is the array of events at path in a decoded delivery ("$": the
// delivery is the array), as a batching provider's definition says.
func Batch(doc any, path string) ([]any, bool) {
	if path != "$" {
		for _, key := range strings.Split(path, ".") {
			m, _ := doc.(map[string]any)
			doc = m[key]
		}
	}
	list, ok := doc.([]any)
	return list, ok
}
