package event

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Flexible holds a JSON value whose type varies between payloads of the same
// event (GitHub's repository.created_at is a number in push and a string
// elsewhere). It keeps the raw JSON and offers typed views of it.
type Flexible struct {
	Raw json.RawMessage
}

// UnmarshalJSON keeps any JSON value.
func (f *Flexible) UnmarshalJSON(b []byte) error {
	f.Raw = append(f.Raw[:0], b...)
	return nil
}

// MarshalJSON writes the value back as received.
func (f Flexible) MarshalJSON() ([]byte, error) {
	if len(f.Raw) == 0 {
		return []byte("null"), nil
	}
	return f.Raw, nil
}

// IsNull reports whether the value was absent or JSON null.
func (f Flexible) IsNull() bool {
	return len(f.Raw) == 0 || bytes.Equal(f.Raw, []byte("null"))
}

// String returns a string value as is, and any other value as its JSON text.
func (f Flexible) String() string {
	var s string
	if json.Unmarshal(f.Raw, &s) == nil {
		return s
	}
	if f.IsNull() {
		return ""
	}
	return string(f.Raw)
}

// Int64 returns a number, or a string holding an integer, as an int64.
func (f Flexible) Int64() (int64, error) {
	var n json.Number
	if err := json.Unmarshal(f.Raw, &n); err == nil {
		return n.Int64()
	}
	var s string
	if err := json.Unmarshal(f.Raw, &s); err != nil {
		return 0, fmt.Errorf("not a number or string: %s", f.Raw)
	}
	return strconv.ParseInt(s, 10, 64)
}

// Expandable is a field that holds either an object's id or, when the sender
// expanded it, the object itself (Stripe's customer, invoice, ...).
type Expandable[T any] struct {
	ID     string
	Object *T
}

// UnmarshalJSON accepts null, a string id, or the object.
func (e *Expandable[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*e = Expandable[T]{}
		return nil
	case len(b) > 0 && b[0] == '"':
		e.Object = nil
		return json.Unmarshal(b, &e.ID)
	}
	var obj T
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	e.Object = &obj
	var withID struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(b, &withID) // an object without a string id keeps ID empty
	e.ID = withID.ID
	return nil
}

// MarshalJSON writes the object when present, else the id, else null.
func (e Expandable[T]) MarshalJSON() ([]byte, error) {
	switch {
	case e.Object != nil:
		return json.Marshal(e.Object)
	case e.ID != "":
		return json.Marshal(e.ID)
	}
	return []byte("null"), nil
}
