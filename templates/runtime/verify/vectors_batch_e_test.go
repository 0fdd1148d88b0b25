package verify

// Signature vectors for the batch-E providers: the Standard Webhooks family
// (standard-webhooks, svix, clerk, resend, polar), the token providers
// (gitlab, telegram) and basic auth (postmark).
//
// Each test first reads providers/<name>.json and builds the scheme and the
// secret decoding it declares, the way the generator does (verify does not
// import the generator), so a vector cannot pass for a scheme or a secret
// encoding the definition does not use. Where a published example exists it
// is copied here as literals with its source; where the provider's SDK only
// computes its expected value at run time, the value was computed from the
// documented algorithm with Python's hmac module and openssl
//
//	printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary | base64
//
// and cross-checked with the Go Standard Webhooks library, and the comment
// says so.

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// batchEDefinition reads providers/<name>.json: the scheme its signature
// block describes and the encoding of its WEBHOOK_SECRET.
func batchEDefinition(t *testing.T, name string) (Scheme, SecretEncoding) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "providers", name+".json"))
	if err != nil {
		t.Fatalf("read definition: %v", err)
	}
	var def struct {
		Credentials []struct{ Name, Kind, Encoding string }
	}
	if err := json.Unmarshal(b, &def); err != nil {
		t.Fatalf("decode definition: %v", err)
	}
	for _, c := range def.Credentials {
		if c.Name == "WEBHOOK_SECRET" {
			return definitionScheme(t, name), SecretEncoding(c.Encoding)
		}
	}
	t.Fatalf("providers/%s.json has no WEBHOOK_SECRET credential", name)
	return nil, ""
}

// batchEKeys decodes secrets the way the definition says.
func batchEKeys(t *testing.T, enc SecretEncoding, s ...string) [][]byte {
	t.Helper()
	keys, err := DecodeSecrets(enc, secrets(s...))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestBatchESchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]struct {
		scheme Scheme
		enc    SecretEncoding
	}{
		"standard-webhooks": {StandardWebhooks("webhook", 5*time.Minute), WhsecBase64},
		"svix":              {StandardWebhooks("svix", 5*time.Minute), WhsecBase64},
		"clerk":             {StandardWebhooks("svix", 5*time.Minute), WhsecBase64},
		"resend":            {StandardWebhooks("svix", 5*time.Minute), WhsecBase64},
		// Polar's secret is used as its UTF-8 bytes: see TestBatchEPolarRawSecret.
		"polar":    {StandardWebhooks("webhook", 5*time.Minute), Raw},
		"gitlab":   {Token{Header: "X-Gitlab-Token"}, Raw},
		"telegram": {Token{Header: "X-Telegram-Bot-Api-Secret-Token"}, Raw},
		"postmark": {BasicAuth{}, Raw},
	} {
		t.Run(name, func(t *testing.T) {
			got, enc := batchEDefinition(t, name)
			if got != want.scheme || enc != want.enc {
				t.Fatalf("providers/%s.json describes\n\t%#v, secret %s\nthe tested scheme is\n\t%#v, secret %s", name, got, enc, want.scheme, want.enc)
			}
			if err := want.scheme.(interface{ Validate() error }).Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// batchEVector is a signed Standard Webhooks delivery.
type batchEVector struct {
	provider string
	method   string // how the vector proves the provider's verification
	source   string
	secret   string // as the provider hands it out (the value of the variable)
	id       string
	at       int64
	body     string
	sig      string // the full signature header value
}

var batchEVectors = []batchEVector{
	{
		// The spec's reference vector, the same in every language's test
		// suite: standard-webhooks/standard-webhooks libraries/go
		// webhook_test.go TestWebhookSign (and python
		// tests/test_webhooks.py), secret, id, timestamp, body and signature
		// all published there.
		provider: "standard-webhooks", method: byDocumented,
		source: "standard-webhooks/standard-webhooks libraries/go webhook_test.go (spec vector)",
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek", at: 1614265330,
		body: `{"test": 2432232314}`, sig: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	},
	{
		// Svix's documented svix-* example, the headers "sent from the
		// server" in https://docs.svix.com/receiving/verifying-payloads/how
		// (the same secret, svix-id, svix-timestamp, svix-signature and
		// payload are reproduced by senders built on Svix).
		provider: "svix", method: byDocumented,
		source: "docs.svix.com/receiving/verifying-payloads/how (published example)",
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek", at: 1614265330,
		body: `{"test": 2432232314}`, sig: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	},
	{
		// Clerk sends through Svix (https://clerk.com/docs/guides/development/webhooks/overview:
		// "Clerk uses Svix to send our webhooks"), so Svix's published
		// svix-* example above is a Clerk delivery as far as verification
		// goes.
		provider: "clerk", method: byDocumented,
		source: "docs.svix.com/receiving/verifying-payloads/how (published example; Clerk sends through Svix)",
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek", at: 1614265330,
		body: `{"test": 2432232314}`, sig: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	},
	{
		// Clerk's own SDK: clerk/javascript packages/backend/src/webhooks.ts
		// verifyWebhook reads svix-id, svix-timestamp and svix-signature and
		// checks them with the standardwebhooks library; its test
		// (src/__tests__/webhooks.test.ts) signs with the secret
		// 'whsec_' + base64('test_signing_secret_32_chars_long'), id msg_123
		// and the body below, at run time. Signature computed with Python
		// hmac and openssl at a fixed timestamp.
		provider: "clerk", method: byDerived,
		source: "clerk/javascript packages/backend verifyWebhook + webhooks.test.ts inputs (computed)",
		secret: "whsec_dGVzdF9zaWduaW5nX3NlY3JldF8zMl9jaGFyc19sb25n", id: "msg_123", at: 1717171717,
		body: `{"type":"user.created","data":{"id":"user_123"}}`, sig: "v1,EuIBcH+H8/IwE21CXf7z9ALfAqvudb1fiiRXqQ1dUss=",
	},
	{
		// Resend sends through Svix (svix-* headers, whsec_ secret —
		// https://resend.com/docs/webhooks/verify-webhooks-requests), so
		// Svix's published example applies.
		provider: "resend", method: byDocumented,
		source: "docs.svix.com/receiving/verifying-payloads/how (published example; Resend sends through Svix)",
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek", at: 1614265330,
		body: `{"test": 2432232314}`, sig: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	},
	{
		// Resend's own SDK: resend/resend-node src/webhooks/webhooks.ts
		// verify() checks {id, timestamp, signature} with the
		// standardwebhooks library; webhooks-verify.spec.ts signs this
		// secret, id and body at run time. Signature computed with Python
		// hmac and openssl at a fixed timestamp.
		provider: "resend", method: byDerived,
		source: "resend/resend-node src/webhooks/webhooks-verify.spec.ts inputs (computed)",
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", at: 1717171717,
		body: `{"type":"email.sent","data":{"id":"msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"}}`, sig: "v1,MUXY9xwj4W+nRVSsMb+qnmi8y94b50ZzDPJSuJD+CSU=",
	},
	{
		// Polar: polarsource/polar-js src/webhooks/index.ts validateEvent
		// does new Webhook(Buffer.from(secret, 'utf-8').toString('base64'))
		// (polar-python's validate_event the same), so the HMAC key is the
		// secret's UTF-8 bytes; https://docs.polar.sh/integrate/webhooks/delivery
		// ("make sure to base64 encode the secret you configured"). The
		// secret is the one of src/webhooks/index.test.ts ("TestSecret"),
		// whose signatures are made at run time; this one was computed with
		// openssl (-hmac TestSecret) and Python hmac at a fixed timestamp.
		provider: "polar", method: byDerived,
		source: "polarsource/polar-js src/webhooks/index.ts validateEvent + index.test.ts secret (computed)",
		secret: "TestSecret", id: "msg_2rGqV1F5sG7xkQw0t9mZpL3cYhB", at: 1736417512,
		body: `{"type":"checkout.created","timestamp":"2025-01-09T10:11:52.004Z","data":{"id":"8b0f4b5f-4f7c-47b4-8ae9-9f3b0f3a7e11","status":"open","amount":1500,"currency":"usd","product_id":"d8dd2de1-21b7-4a41-8bc3-ce909c0cfe23"}}`,
		sig:  "v1,kHYlx+ZElrfJNRzfzbFPf3tGE4SX6tM1ycIfIbcLXZU=",
	},
}

func (v batchEVector) headers(s TimestampedHMAC) http.Header {
	h := http.Header{}
	h.Set(s.IDHeader, v.id)
	h.Set(s.TimestampHeader, s.FormatTime(time.Unix(v.at, 0)))
	h.Set(s.Header, v.sig)
	return h
}

func TestBatchEStandardWebhooksVectors(t *testing.T) {
	for _, v := range batchEVectors {
		t.Run(v.provider+"/"+v.method, func(t *testing.T) {
			scheme, enc := batchEDefinition(t, v.provider)
			s, ok := scheme.(TimestampedHMAC)
			if !ok {
				t.Fatalf("providers/%s.json is not a Standard Webhooks scheme", v.provider)
			}
			keys := batchEKeys(t, enc, v.secret)
			at, body, h := time.Unix(v.at, 0), []byte(v.body), v.headers(s)

			wantErr(t, "vector ("+v.source+")", s.Verify(h, body, keys, at), nil)
			wantErr(t, "vector among rotated secrets", s.Verify(h, body, append(batchEKeys(t, Raw, "previous secret"), keys...), at), nil)
			wantErr(t, "at the edge of the window", s.Verify(h, body, keys, at.Add(s.Tolerance)), nil)
			wantErr(t, "stale", s.Verify(h, body, keys, at.Add(s.Tolerance+time.Second)), ErrTimestampExpired)
			wantErr(t, "future", s.Verify(h, body, keys, at.Add(-s.Tolerance-time.Second)), ErrTimestampExpired)
			for _, i := range []int{0, len(body) / 2, len(body) - 1} {
				tampered := []byte(v.body)
				tampered[i] ^= 0x01
				wantErr(t, "body with one byte changed", s.Verify(h, tampered, keys, at), ErrSignatureMismatch)
			}
			wantErr(t, "wrong secret", s.Verify(h, body, batchEKeys(t, Raw, v.secret+"x"), at), ErrSignatureMismatch)
			otherID := h.Clone()
			otherID.Set(s.IDHeader, v.id+"x")
			wantErr(t, "other message id", s.Verify(otherID, body, keys, at), ErrSignatureMismatch)
			otherTS := h.Clone()
			otherTS.Set(s.TimestampHeader, s.FormatTime(at.Add(time.Second)))
			wantErr(t, "other timestamp", s.Verify(otherTS, body, keys, at), ErrSignatureMismatch)

			// The other family's header names carry nothing this definition reads.
			other := "webhook"
			if strings.HasPrefix(s.Header, "webhook-") {
				other = "svix"
			}
			renamed := http.Header{}
			for k, vals := range h {
				renamed[http.CanonicalHeaderKey(other+k[strings.IndexByte(k, '-'):])] = vals
			}
			wantErr(t, other+"-* headers", s.Verify(renamed, body, keys, at), ErrMissingSignature)

			// Our Sign writes the vector's signature.
			signed := http.Header{}
			signed.Set(s.IDHeader, v.id)
			s.Sign(signed, body, keys[0], at)
			if got := signed.Get(s.Header); got != v.sig {
				t.Errorf("Sign = %q, vector %q", got, v.sig)
			}

			// The Standard Webhooks library, given the secret the way the
			// provider's own SDK gives it (Polar's base64-encoded first),
			// accepts the vector under webhook-* names, as Clerk's
			// verifyWebhook maps svix-* to them.
			libSecret := v.secret
			if enc == Raw {
				libSecret = base64.StdEncoding.EncodeToString([]byte(v.secret))
			}
			lib, err := standardwebhooks.NewWebhook(libSecret)
			if err != nil {
				t.Fatal(err)
			}
			mapped := http.Header{}
			mapped.Set(standardwebhooks.HeaderWebhookID, v.id)
			mapped.Set(standardwebhooks.HeaderWebhookTimestamp, h.Get(s.TimestampHeader))
			mapped.Set(standardwebhooks.HeaderWebhookSignature, v.sig)
			if err := lib.VerifyIgnoringTimestamp(body, mapped); err != nil {
				t.Errorf("the Standard Webhooks library refuses the vector: %v", err)
			}
			proven(t, v.provider, v.method, v.source)
		})
	}
}

// Polar hands out a plain string (polar_whs_...) and its SDKs base64-encode
// it before a Standard Webhooks library decodes it again: the key is the
// string's UTF-8 bytes, which is why providers/polar.json reads the secret
// raw and not as whsec-base64.
func TestBatchEPolarRawSecret(t *testing.T) {
	scheme, enc := batchEDefinition(t, "polar")
	s := scheme.(TimestampedHMAC)
	if enc != Raw {
		t.Fatalf("providers/polar.json decodes its secret as %s, Polar's key is the raw string", enc)
	}
	body := []byte(`{"type":"order.created","timestamp":"2025-01-09T10:14:09.690Z","data":{"id":"b6a7b1f3-5a7c-4b9e-9f0e-0f1f6b2c8d41","status":"paid"}}`)
	now := time.Now()
	for _, secret := range []string{
		"TestSecret", // polarsource/polar-js src/webhooks/index.test.ts
		"polar_whs_5qN1y7TzQpW3kV9cB0xR8mL2jH4gF6dS1aZ3uE7iO9k", // the shape Polar's dashboard shows
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",                      // a string that happens to be base64
	} {
		// What Polar's SDK does ...
		sdk, err := standardwebhooks.NewWebhook(base64.StdEncoding.EncodeToString([]byte(secret)))
		if err != nil {
			t.Fatal(err)
		}
		// ... is keying with the raw bytes.
		raw, err := standardwebhooks.NewWebhookRaw([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		sig, err := sdk.Sign("msg_polar_1", now, body)
		if err != nil {
			t.Fatal(err)
		}
		if rawSig, _ := raw.Sign("msg_polar_1", now, body); rawSig != sig {
			t.Fatalf("NewWebhook(base64(secret)) signs %q, NewWebhookRaw(secret) %q", sig, rawSig)
		}
		h := http.Header{}
		h.Set("webhook-id", "msg_polar_1")
		h.Set("webhook-timestamp", s.FormatTime(now))
		h.Set("webhook-signature", sig)
		wantErr(t, "Polar SDK's signature, secret as configured", s.Verify(h, body, batchEKeys(t, enc, secret), now), nil)

		// Read as a Standard Webhooks secret it is not base64, or decodes to
		// another key: either way nothing verifies.
		if keys, err := DecodeSecrets(WhsecBase64, secrets(secret)); err == nil {
			wantErr(t, "secret read as whsec-base64", s.Verify(h, body, keys, now), ErrSignatureMismatch)
		}

		// And our signature passes the SDK's check.
		ours := http.Header{}
		s.Sign(ours, body, batchEKeys(t, enc, secret)[0], now)
		if err := sdk.Verify(body, ours); err != nil {
			t.Errorf("Polar's SDK check refuses our signature: %v", err)
		}
	}
}

// GitLab sends the webhook's secret token as is —
// https://docs.gitlab.com/user/project/integrations/webhooks/ ("The token is
// sent with the webhook request in the X-Gitlab-Token HTTP header") and
// gitlab-org/gitlab app/services/web_hook_service.rb build_headers
// (headers['X-Gitlab-Token'] = Gitlab::Utils.remove_line_breaks(hook.token)).
// Telegram sends the secret_token given to setWebhook as is —
// https://core.telegram.org/bots/api#setwebhook ("the request will contain a
// header X-Telegram-Bot-Api-Secret-Token with the secret token as content").
// Neither publishes a token/request pair beyond that rule, so the vectors
// apply it to tokens of the documented form.
func TestBatchETokens(t *testing.T) {
	for _, c := range []struct {
		provider, source, token string
		decoy                   string // another header the provider sends, never the token
	}{
		{"gitlab", "docs.gitlab.com webhooks + gitlab-org/gitlab web_hook_service.rb build_headers (computed from the rule)",
			"glwht-7Qe4vN2pR9sT1xY6zB3mK8dH5fJ0cL", "X-Gitlab-Event"},
		{"telegram", "core.telegram.org/bots/api#setwebhook secret_token (computed from the rule)",
			"tg_Secret-Token_9f8e7d6c5b4a39281706f5e4d3c2b1a0", "Content-Type"},
	} {
		t.Run(c.provider, func(t *testing.T) {
			scheme, enc := batchEDefinition(t, c.provider)
			s := scheme.(Token)
			keys := batchEKeys(t, enc, c.token)
			body := []byte(`{"object_kind":"push"}`)
			h := header(s.Header, c.token)
			h.Set(c.decoy, c.token+"-decoy")
			wantErr(t, "the token as sent", s.Verify(h, body, keys, testNow), nil)
			wantErr(t, "among rotated tokens", s.Verify(h, body, batchEKeys(t, enc, "previous-"+c.token, c.token), testNow), nil)
			wantErr(t, "another token", s.Verify(header(s.Header, c.token+"x"), body, keys, testNow), ErrSignatureMismatch)
			wantErr(t, "a prefix of the token", s.Verify(header(s.Header, c.token[:len(c.token)-1]), body, keys, testNow), ErrSignatureMismatch)
			wantErr(t, "token in another header only", s.Verify(header(c.decoy, c.token), body, keys, testNow), ErrMissingSignature)
			signed := http.Header{}
			s.Sign(signed, body, keys[0], testNow)
			if got := signed.Get(s.Header); got != c.token {
				t.Errorf("Sign wrote %s: %q, the provider sends %q", s.Header, got, c.token)
			}
			proven(t, c.provider, byDerived, c.source)
		})
	}
}

// Postmark protects webhooks with HTTP basic authentication: the user and
// password go in the webhook URL (https://user:password@host/...) —
// https://postmarkapp.com/developer/webhooks/webhooks-overview. The header
// is RFC 7617's; its section 2 example (user Aladdin, password open sesame)
// is the published vector.
func TestBatchEPostmarkBasicAuth(t *testing.T) {
	const source = "RFC 7617 section 2 example + postmarkapp.com/developer/webhooks/webhooks-overview"
	scheme, enc := batchEDefinition(t, "postmark")
	s := scheme.(BasicAuth)
	keys := batchEKeys(t, enc, "Aladdin:open sesame")
	h := header("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
	body := []byte(`{"RecordType":"Delivery","MessageID":"00000000-0000-0000-0000-000000000000"}`)
	wantErr(t, "RFC 7617 example", s.Verify(h, body, keys, testNow), nil)
	wantErr(t, "among rotated credentials", s.Verify(h, body, batchEKeys(t, enc, "Aladdin:old sesame", "Aladdin:open sesame"), testNow), nil)
	wantErr(t, "other password", s.Verify(h, body, batchEKeys(t, enc, "Aladdin:open sesamE"), testNow), ErrSignatureMismatch)
	wantErr(t, "other user", s.Verify(h, body, batchEKeys(t, enc, "aladdin:open sesame"), testNow), ErrSignatureMismatch)

	// What an HTTP client sends for credentials in the URL, as Postmark's
	// are: the same header.
	r, err := http.NewRequest(http.MethodPost, "https://Aladdin:open%20sesame@example.com/webhooks/postmark", nil)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := r.URL.User.Password()
	r.SetBasicAuth(r.URL.User.Username(), pw)
	wantErr(t, "credentials from the URL", s.Verify(r.Header, body, keys, testNow), nil)

	signed := http.Header{}
	s.Sign(signed, body, keys[0], testNow)
	if got := signed.Get("Authorization"); got != h.Get("Authorization") {
		t.Errorf("Sign = %q, RFC 7617 = %q", got, h.Get("Authorization"))
	}
	proven(t, "postmark", byDocumented, source)
}
