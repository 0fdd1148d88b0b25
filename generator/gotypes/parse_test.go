package gotypes

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// plain turns parse's values into encoding/json's, decoding lazy ones.
func plain(t testing.TB, p *parser, v any) any {
	switch v := v.(type) {
	case *object:
		m := map[string]any{}
		for i, k := range v.keys {
			x := v.vals[i]
			if l, ok := x.(*lazy); ok {
				var err error
				if x, err = p.force(l); err != nil {
					t.Fatalf("force %s: %v", k, err)
				}
			}
			m[k] = plain(t, p, x)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plain(t, p, x)
		}
		return out
	}
	return v
}

func stdDecode(b []byte) (any, error) {
	if !json.Valid(b) {
		return nil, errInvalid
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

var errInvalid = errors.New("invalid JSON")

// checkParse compares parse with encoding/json on one input.
func checkParse(t testing.TB, in []byte) {
	want, wantErr := stdDecode(in)
	got, p, err := parseJSON(in, false)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%q: parse error %v, encoding/json error %v", in, err, wantErr)
	}
	if err != nil {
		return
	}
	if g := plain(t, p, got); !reflect.DeepEqual(g, want) {
		t.Fatalf("%q: parse %#v, encoding/json %#v", in, g, want)
	}
	// Lazy $defs decode to the same values.
	if lazyGot, lp, err := parse(in); err != nil {
		t.Fatalf("%q: lazy parse: %v", in, err)
	} else if g := plain(t, lp, lazyGot); !reflect.DeepEqual(g, want) {
		t.Fatalf("%q: lazy parse %#v, encoding/json %#v", in, g, want)
	}
}

var parseCases = []string{
	`{}`, `[]`, `""`, `0`, `-0.5e+10`, `1E3`, `true`, `false`, `null`,
	` {"a": [1, 2.5, "x", null, true, {"b": {}}]} `,
	`{"k": "esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800 \udc00x \ud800\u0041"}`,
	"{\"bad utf8\": \"\xff\xfe ok \xc3\xa9\"}",
	`{"dup": 1, "x": 2, "dup": 3}`,
	`{"$defs": {"a": {"type": "string"}, "b": [1, {"c": "}"}], "c": "x]"}, "after": 1}`,
	`{"a": 01}`, `{"a": 1.}`, `{"a": .5}`, `{"a": -}`, `{"a": 1e}`, `{"a": tru}`, `{"a" 1}`,
	`{"a": 1,}`, `[1,]`, `{"a": "unterminated}`, `{"a": "\x"}`, `{"a": "\u12"}`, "{\"a\": \"ctl\x01\"}",
	`{} {}`, `0A000`, `1 2`, `{"$defs": {"a": }}`, `{"$defs": {"a": [}}`, `{"$defs": {"a": 1 2}}`, ``, `   `,
}

func TestParseMatchesEncodingJSON(t *testing.T) {
	for _, c := range parseCases {
		checkParse(t, []byte(c))
	}
}

func TestParseKeepsKeyOrder(t *testing.T) {
	v, _, err := parse([]byte(`{"z": 1, "a": 2, "m": {"y": 1, "b": 2}, "z": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*object)
	if got := strings.Join(o.keys, ","); got != "z,a,m" {
		t.Errorf("keys %s", got)
	}
	if got := strings.Join(o.obj("m").keys, ","); got != "y,b" {
		t.Errorf("nested keys %s", got)
	}
	if o.val("z").(json.Number) != "3" {
		t.Errorf("a repeated key keeps its last value, got %v", o.val("z"))
	}
	// Large objects look keys up in a map.
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + strings.Repeat("x", i) + `": ` + strings.Repeat("1", 1+i%3))
	}
	b.WriteString(`, "kx": 7}`)
	v, _, err = parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	o = v.(*object)
	if len(o.keys) != 100 || o.keys[1] != "kx" || o.val("kx").(json.Number) != "7" {
		t.Errorf("large object: %d keys, second %q = %v", len(o.keys), o.keys[1], o.val("kx"))
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkParse(t, in)
	})
}
