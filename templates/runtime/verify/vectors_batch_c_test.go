package verify

// Published signature examples for the batch C providers (mux, paddle,
// sanity, buildkite, circleci), copied here as literals with their sources.
// Each is checked with the scheme exactly as providers/<name>.json
// configures it (and the test proves the literal scheme equals the one the
// definition describes): the published signature verifies, one changed body
// byte does not, and a timestamped one is refused at its timestamp ± the
// tolerance plus one second.

import (
	"net/http"
	"testing"
	"time"
)

func batchCMux() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "Mux-Signature", Algorithm: SHA256, Encoding: Hex,
		PairSeparator: ",", TimestampKey: "t", SignatureKey: "v1",
		SignedPayload: "{timestamp}.{body}", Unit: Seconds, Tolerance: 300 * time.Second,
	}
}

func batchCPaddle() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "Paddle-Signature", Algorithm: SHA256, Encoding: Hex,
		PairSeparator: ";", TimestampKey: "ts", SignatureKey: "h1",
		SignedPayload: "{timestamp}:{body}", Unit: Seconds, Tolerance: 5 * time.Second,
	}
}

func batchCSanity() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "Sanity-Webhook-Signature", Algorithm: SHA256, Encoding: Base64URL,
		PairSeparator: ",", TimestampKey: "t", SignatureKey: "v1",
		SignedPayload: "{timestamp}.{body}", Unit: Milliseconds, Tolerance: 3600 * time.Second,
	}
}

func batchCBuildkite() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "X-Buildkite-Signature", Algorithm: SHA256, Encoding: Hex,
		PairSeparator: ",", TimestampKey: "timestamp", SignatureKey: "signature",
		SignedPayload: "{timestamp}.{body}", Unit: Seconds, Tolerance: 300 * time.Second,
	}
}

func batchCCircleCI() HMAC {
	return HMAC{Header: "Circleci-Signature", Algorithm: SHA256, Encoding: Hex, Prefix: "v1="}
}

// batchCSources names where each provider's published vectors come from.
var batchCSources = map[string]string{
	"mux":       "muxinc/mux-node-sdk tests/api-resources/webhooks.test.ts",
	"paddle":    "PaddleHQ/paddle-go-sdk webhook_verifier_test.go",
	"sanity":    "sanity-io/webhook-toolkit test/signature.test.ts",
	"buildkite": "buildkite/go-buildkite buildkite/webhook_test.go",
}

type batchCTimestampedVector struct {
	provider string
	scheme   TimestampedHMAC
	secret   string
	body     string
	header   string    // the full header value, as published
	at       time.Time // the vector's timestamp
}

var batchCTimestampedVectors = []batchCTimestampedVector{
	{
		// muxinc/mux-node-sdk tests/api-resources/webhooks.test.ts: payload
		// '{"test":"body"}', secret 'SuperSecret123', timestamp '1565125718',
		// hash 854ece4c..., header `t=${timestamp},v1=${hash}` (verifySignature
		// "should pass for valid signature" with Date.now mocked to the timestamp).
		provider: "mux",
		scheme:   batchCMux(),
		secret:   "SuperSecret123",
		body:     `{"test":"body"}`,
		header:   "t=1565125718,v1=854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7",
		at:       time.Unix(1565125718, 0),
	},
	{
		// Same file, describe('unwrap_times'): the payload with a nested
		// {nanos, seconds} object.
		provider: "mux",
		scheme:   batchCMux(),
		secret:   "SuperSecret123",
		body:     `{"test":{"nested":{"nanos":718234, "seconds":1691711005}}}`,
		header:   "t=1565125718,v1=bd315c24bce1c2b8ad325696f26530c8ef7d7d830afb7c1381903705d04607be",
		at:       time.Unix(1565125718, 0),
	},
	{
		// PaddleHQ/paddle-go-sdk webhook_verifier_test.go (testSignature,
		// testPayload, testSecretKey; also example_webhook_verifier_test.go):
		// a price.created notification signed by Paddle.
		provider: "paddle",
		scheme:   batchCPaddle(),
		secret:   "pdl_ntfset_01hsdn8d43dt7mezr1ef2jtbaw_hKkRiCGyyRhbFwIUuqiTBgI7gnWoV0Gr",
		body:     `{"data":{"id":"pri_01hsdn96k2hxjzsq5yerecdj9j","name":null,"status":"active","quantity":{"maximum":999999,"minimum":1},"tax_mode":"account_setting","product_id":"pro_01hsdn8qp7yydry3x1yeg6a9rv","unit_price":{"amount":"1000","currency_code":"USD"},"custom_data":null,"description":"testing","import_meta":null,"trial_period":null,"billing_cycle":{"interval":"month","frequency":1},"unit_price_overrides":[]},"event_id":"evt_01hsdn97563968dy0szkmgjwh3","event_type":"price.created","occurred_at":"2024-03-20T10:07:35.590857Z","notification_id":"ntf_01hsdn977e920kbgzt6r6c9rqc"}`,
		header:   "ts=1710929255;h1=6c05ef8fa83c44d751be6d259ec955ce5638e2c54095bf128e408e2fce1589c8",
		at:       time.Unix(1710929255, 0),
	},
	{
		// sanity-io/webhook-toolkit test/signature.test.ts, isValidSignature
		// "returns true on valid signatures": secret 'test', payload
		// JSON.stringify({_id: 'resume'}), timestamp in milliseconds.
		provider: "sanity",
		scheme:   batchCSanity(),
		secret:   "test",
		body:     `{"_id":"resume"}`,
		header:   "t=1633519811129,v1=tLa470fx7qkLLEcMOcEUFuBbRSkGujyskxrNXcoh0N0",
		at:       time.UnixMilli(1633519811129),
	},
	{
		// Same file, encodeSignatureHeader "encodes signatures": secret
		// 'try-me', JSON.stringify({title: 'GROQ-Hooks are neat'}).
		provider: "sanity",
		scheme:   batchCSanity(),
		secret:   "try-me",
		body:     `{"title":"GROQ-Hooks are neat"}`,
		header:   "t=1633518820676,v1=e7C9h2sfbFfc4V7TEz7PSOp4IoNzl0UdVsBV-1wgdeA",
		at:       time.UnixMilli(1633518820676),
	},
	{
		// buildkite/go-buildkite buildkite/webhook_test.go TestValidatePayload:
		// defaultBody (a ping event), defaultSignature, secretKey
		// "29b1ff5779c76bd48ba6705eb99ff970" (the webhook token).
		provider: "buildkite",
		scheme:   batchCBuildkite(),
		secret:   "29b1ff5779c76bd48ba6705eb99ff970",
		body:     `{"event":"ping","service":{"id":"c9f8372d-c0cd-43dc-9274-768a875cf6ca","provider":"webhook","settings":{"url":"https://server.com/webhooks"}},"organization":{"id":"49801950-1df0-474f-bb56-ad6a930c5cb9","graphql_id":"T3JnYW5pemF0aW9uLS0tZTBmMzk3MgsTksGkxOWYtZTZjNzczZTJiYjEy","url":"https://api.buildkite.com/v2/organizations/acme-inc","web_url":"https://buildkite.com/acme-inc","name":"ACME Inc","slug":"acme-inc","agents_url":"https://api.buildkite.com/v2/organizations/acme-inc/agents","emojis_url":"https://api.buildkite.com/v2/organizations/acme-inc/emojis","created_at":"2021-02-03T20:34:10.486Z","pipelines_url":"https://api.buildkite.com/v2/organizations/acme-inc/pipelines"},"sender":{"id":"c9f8372d-c0cd-43dc-9269-bcbb7f308e3f","name":"ACME Man"}}`,
		header:   "timestamp=1642080837,signature=582d496ac2d869dd97a3101c4cda346288c49a742592daf582ec64c86449f79c",
		at:       time.Unix(1642080837, 0),
	},
}

// batchCFlipByte changes one byte of body.
func batchCFlipByte(body string) []byte {
	b := []byte(body)
	b[len(b)/2] ^= 0x01
	return b
}

func TestBatchCSchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]Scheme{
		"mux":       batchCMux(),
		"paddle":    batchCPaddle(),
		"sanity":    batchCSanity(),
		"buildkite": batchCBuildkite(),
		"circleci":  batchCCircleCI(),
	} {
		checkDefinition(t, name, want)
	}
}

func TestBatchCTimestampedVectors(t *testing.T) {
	for _, v := range batchCTimestampedVectors {
		t.Run(v.provider+"/"+v.header[:16], func(t *testing.T) {
			s := v.scheme
			h := header(s.Header, v.header)
			body := []byte(v.body)
			step := s.Tolerance + time.Second

			wantErr(t, "published signature at its timestamp", s.Verify(h, body, secrets(v.secret), v.at), nil)
			wantErr(t, "published signature near the edge of the window", s.Verify(h, body, secrets(v.secret), v.at.Add(s.Tolerance)), nil)
			wantErr(t, "one body byte changed", s.Verify(h, batchCFlipByte(v.body), secrets(v.secret), v.at), ErrSignatureMismatch)
			wantErr(t, "tolerance + 1 s later", s.Verify(h, body, secrets(v.secret), v.at.Add(step)), ErrTimestampExpired)
			wantErr(t, "tolerance + 1 s earlier", s.Verify(h, body, secrets(v.secret), v.at.Add(-step)), ErrTimestampExpired)
			wantErr(t, "another secret", s.Verify(h, body, secrets(v.secret+"x"), v.at), ErrSignatureMismatch)

			// Our Sign writes exactly the header the provider published.
			signed := http.Header{}
			s.Sign(signed, body, []byte(v.secret), v.at)
			if got := signed.Get(s.Header); got != v.header {
				t.Errorf("Sign = %q, published %q", got, v.header)
			}
			proven(t, v.provider, byDocumented, batchCSources[v.provider])
		})
	}
}

// mux-node-sdk's "should pass for multiple signatures" and "... with
// different version" cases: an invalid v1 or an unknown v2 next to the good
// v1 does not spoil it.
func TestBatchCMuxMultipleSignatures(t *testing.T) {
	s, at := batchCMux(), time.Unix(1565125718, 0)
	const hash = "854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7"
	for _, value := range []string{
		"t=1565125718,v1=invalid-sig,v1=" + hash,
		"t=1565125718,v2=" + hash + ",v1=" + hash,
	} {
		wantErr(t, value, s.Verify(header(s.Header, value), []byte(`{"test":"body"}`), secrets("SuperSecret123"), at), nil)
	}
	// "should throw for different signature version": only a v2.
	wantErr(t, "v2 only", s.Verify(header(s.Header, "t=1565125718,v2="+hash), []byte(`{"test":"body"}`), secrets("SuperSecret123"), at), ErrMalformedSignature)
}

// CircleCI documents example signatures in "Validate outbound webhooks"
// (circleci/circleci-docs jekyll/_cci2/webhooks.adoc, the table of bodies,
// secret keys and signatures, and the Python example returning True for
// 'foo' / 'secret'). The header is circleci-signature: v1=<hex>. There is no
// timestamp, so there is no window to test.
func TestBatchCCircleCIVectors(t *testing.T) {
	s := batchCCircleCI()
	for _, v := range []struct{ body, secret, sig string }{
		{"hello world", "secret", "734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a"},
		{"lalala", "another-secret", "daa220016c8f29a8b214fbfc3671aeec2145cfb1e6790184ffb38b6d0425fa00"},
		{"an-important-request-payload", "hunter123", "9be2242094a9a8c00c64306f382a7f9d691de910b4a266f67bd314ef18ac49fa"},
		{"foo", "secret", "773ba44693c7553d6ee20f61ea5d2757a9a4f4a44d2841ae4e95b52e4cd62db4"},
	} {
		t.Run(v.body, func(t *testing.T) {
			h := header(s.Header, "v1="+v.sig)
			wantErr(t, "documented signature", s.Verify(h, []byte(v.body), secrets(v.secret), testNow), nil)
			wantErr(t, "one body byte changed", s.Verify(h, batchCFlipByte(v.body), secrets(v.secret), testNow), ErrSignatureMismatch)
			wantErr(t, "another secret", s.Verify(h, []byte(v.body), secrets(v.secret+"x"), testNow), ErrSignatureMismatch)
			signed := http.Header{}
			s.Sign(signed, []byte(v.body), []byte(v.secret), testNow)
			if got := signed.Get(s.Header); got != "v1="+v.sig {
				t.Errorf("Sign = %q, documented v1=%s", got, v.sig)
			}
		})
	}
	// The docs' Python example: "v1=not-a-valid-signature" returns False
	// (here: not hex, so no candidate signature at all).
	wantErr(t, "not a valid signature", s.Verify(header(s.Header, "v1=not-a-valid-signature"), []byte("foo"), secrets("secret"), testNow), ErrMalformedSignature)
	proven(t, "circleci", byDocumented, "circleci.com/docs/webhooks (Validate outbound webhooks)")
}
