package verify

// Documented, published signature examples, copied here as literals (facts
// only) with their sources. Each is checked both ways: Verify accepts the
// published signature, and Sign reproduces it exactly.

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"testing"
)

type vector struct {
	source string
	scheme HMAC
	secret string
	body   string
	header string // the full header value the sender writes
	// provider and method: what the vector proves, for the conformance record.
	provider, method string
}

var hmacVectors = []vector{
	{
		// GitHub docs, "Validating webhook deliveries" → "Testing the webhook
		// payload validation":
		// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
		source: "docs.github.com validating-webhook-deliveries", provider: "github", method: byDocumented,
		scheme: githubScheme(),
		secret: "It's a Secret to Everybody",
		body:   "Hello, World!",
		header: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
	},
	{
		// go-github's fixture: github.com/google/go-github, github/messages_test.go
		// (TestValidatePayload), the sha256 case for X-Hub-Signature-256.
		source: "google/go-github github/messages_test.go sha256", provider: "github", method: byDocumented,
		scheme: githubScheme(),
		secret: "0123456789abcdef",
		body:   `{"yo":true}`,
		header: "sha256=b1f8020f5b4cd42042f807dd939015c4a418bc1ff7f604dd55b0a19b5d953d9b",
	},
	{
		// Same file, the legacy X-Hub-Signature sha1 case.
		source: "google/go-github github/messages_test.go sha1", provider: "github", method: byDocumented,
		scheme: HMAC{Header: "X-Hub-Signature", Algorithm: SHA1, Encoding: Hex, Prefix: "sha1="},
		secret: "0123456789abcdef",
		body:   `{"yo":true}`,
		header: "sha1=126f2c800419c60137ce748d7672e77b65cf16d6",
	},
	{
		// Shopify has no Go SDK. Shopify's algorithm (shopify-api-js
		// lib/webhooks/__tests__/utils.ts: createHmac('sha256', secret)
		// .update(body).digest('base64'), sent as X-Shopify-Hmac-Sha256) with a
		// fixed vector from sqlpage/SQLPage
		// tests/sql_test_files/data/hmac_shopify_webhook.sql ("Test Shopify
		// webhook HMAC validation with base64 output").
		source: "sqlpage/SQLPage tests/sql_test_files/data/hmac_shopify_webhook.sql", provider: "shopify", method: byDerived,
		scheme: shopifyScheme(),
		secret: "test-webhook-secret",
		body:   `{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}`,
		header: "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=",
	},
	{
		// The generic provider's docs link is https://en.wikipedia.org/wiki/HMAC;
		// its "Examples" section lists HMAC_SHA256("key", "The quick brown fox
		// jumps over the lazy dog").
		source: "en.wikipedia.org/wiki/HMAC Examples, SHA256", provider: "generic-hmac", method: byDocumented,
		scheme: genericScheme(SHA256, Hex),
		secret: "key",
		body:   "The quick brown fox jumps over the lazy dog",
		header: "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
	},
	{
		// Same example, HMAC_SHA512 (also sqlpage/SQLPage
		// tests/sql_test_files/data/hmac_sha512.sql).
		source: "en.wikipedia.org/wiki/HMAC Examples, SHA512", provider: "generic-hmac", method: byDocumented,
		scheme: genericScheme(SHA512, Hex),
		secret: "key",
		body:   "The quick brown fox jumps over the lazy dog",
		header: "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a",
	},
	{
		// Same example, HMAC_SHA1.
		source: "en.wikipedia.org/wiki/HMAC Examples, SHA1", provider: "generic-hmac", method: byDocumented,
		scheme: genericScheme(SHA1, Hex),
		secret: "key",
		body:   "The quick brown fox jumps over the lazy dog",
		header: "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
	},
	{
		// RFC 4231 section 4.3, test case 2, HMAC-SHA-512.
		source: "RFC 4231 4.3 test case 2, SHA-512", provider: "generic-hmac", method: byDocumented,
		scheme: genericScheme(SHA512, Hex),
		secret: "Jefe",
		body:   "what do ya want for nothing?",
		header: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
	},
	{
		// RFC 4231 section 4.3, test case 2, HMAC-SHA-256.
		source: "RFC 4231 4.3 test case 2, SHA-256", provider: "generic-hmac", method: byDocumented,
		scheme: genericScheme(SHA256, Hex),
		secret: "Jefe",
		body:   "what do ya want for nothing?",
		header: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	},
}

func TestDocumentedHMACVectors(t *testing.T) {
	for _, v := range hmacVectors {
		t.Run(v.source, func(t *testing.T) {
			s := v.scheme
			h := header(s.Header, v.header)
			wantErr(t, "published signature", s.Verify(h, []byte(v.body), secrets(v.secret), testNow), nil)

			signed := http.Header{}
			s.Sign(signed, []byte(v.body), []byte(v.secret), testNow)
			if got := signed.Get(s.Header); got != v.header {
				t.Errorf("Sign = %q, published %q", got, v.header)
			}

			wantErr(t, "body with trailing newline", s.Verify(h, []byte(v.body+"\n"), secrets(v.secret), testNow), ErrSignatureMismatch)
			wantErr(t, "secret off by one character", s.Verify(h, []byte(v.body), secrets(v.secret+"x"), testNow), ErrSignatureMismatch)
			// Flip the last significant character of the signature.
			flipped := []byte(v.header)
			i := len(flipped) - 1
			for flipped[i] == '=' {
				i--
			}
			if flipped[i] == 'A' || flipped[i] == '0' {
				flipped[i]++
			} else {
				flipped[i]--
			}
			if s.Verify(header(s.Header, string(flipped)), []byte(v.body), secrets(v.secret), testNow) == nil {
				t.Errorf("altered signature %q verified", flipped)
			}
			proven(t, v.provider, v.method, v.source)
		})
	}
}

// The documented Shopify example also holds for its hex rendering under the
// generic scheme, and the Wikipedia SHA-256 example in base64, so Base64 and
// Hex carry the same MAC.
func TestDocumentedVectorsAcrossEncodings(t *testing.T) {
	shopifyHex := "40dc8e6d394a6ccc76a8394f17f64e65c06a8393a03e0fb6a24cb7ce575cd06c"
	raw, _ := base64.StdEncoding.DecodeString("QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=")
	if hex.EncodeToString(raw) != shopifyHex {
		t.Fatalf("vector literals disagree")
	}
	body := []byte(`{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}`)
	wantErr(t, "shopify vector as hex", genericScheme(SHA256, Hex).Verify(header("X-Webhook-Signature", shopifyHex), body, secrets("test-webhook-secret"), testNow), nil)
	wantErr(t, "shopify vector as base64url", genericScheme(SHA256, Base64URL).Verify(header("X-Webhook-Signature", base64.RawURLEncoding.EncodeToString(raw)), body, secrets("test-webhook-secret"), testNow), nil)
	wantErr(t, "wikipedia sha256 as base64", genericScheme(SHA256, Base64).Verify(
		header("X-Webhook-Signature", "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="),
		[]byte("The quick brown fox jumps over the lazy dog"), secrets("key"), testNow), nil)
}

// stripe-go's own tests (webhook/client_test.go, v82) hold no literal
// signatures: they sign with ComputeSignature at time.Now() under
// testSecret = "whsec_test_secret". This pins the value stripe-go's
// ComputeSignature gives for that secret at a fixed time (sdk_test.go checks
// the same function live), so a change in our framing cannot go unnoticed.
func TestStripePinnedVector(t *testing.T) {
	s := stripeScheme()
	body := []byte("{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}")
	const want = "t=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150"
	if got := signedAt(s, body, "whsec_test_secret", testNow).Get("Stripe-Signature"); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	wantErr(t, "pinned", s.Verify(header("Stripe-Signature", want), body, secrets("whsec_test_secret"), testNow), nil)
	// The whsec_ prefix is part of the key: Stripe secrets are used verbatim.
	wantErr(t, "secret without whsec_", s.Verify(header("Stripe-Signature", want), body, secrets("test_secret"), testNow), ErrSignatureMismatch)
}
