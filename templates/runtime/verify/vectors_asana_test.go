package verify

import "testing"

// Asana: X-Hook-Signature is the hex HMAC-SHA256 of the body under the
// secret handed over in X-Hook-Secret (developers.asana.com/docs/webhooks-guide,
// "Security"). Asana publishes no fixed vector; this one was computed with
//
//	printf '%s' "$BODY" | openssl dgst -sha256 -hmac b537207f20cbfa02357cf448134da559
//
// over a changed-task batch shaped like the guide's example.
func TestAsanaVector(t *testing.T) {
	s := HMAC{Header: "X-Hook-Signature", Algorithm: SHA256, Encoding: Hex}
	checkDefinition(t, "asana", s)
	const (
		secret = "b537207f20cbfa02357cf448134da559"
		body   = `{"events":[{"user":{"gid":"1201234567890","resource_type":"user"},"created_at":"2026-11-29T08:00:00.123Z","action":"changed","resource":{"gid":"1209876543210","resource_type":"task","resource_subtype":"default_task"},"parent":null,"change":{"field":"assignee","action":"changed"}}]}`
		sig    = "63480f0df0add67f3904522ed49031ebf38ca2039bdd304f29020ebaf71a6901"
	)
	h := header(s.Header, sig)
	wantErr(t, "vector", s.Verify(h, []byte(body), secrets(secret), testNow), nil)
	wantErr(t, "changed byte", s.Verify(h, []byte(body[:len(body)-1]+" "), secrets(secret), testNow), ErrSignatureMismatch)
	wantErr(t, "other secret", s.Verify(h, []byte(body), secrets(secret+"0"), testNow), ErrSignatureMismatch)
	proven(t, "asana", byDerived, "developers.asana.com/docs/webhooks-guide (computed with openssl)")
}
