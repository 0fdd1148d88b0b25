package verify

// Signature vectors for batch H (Xero, QuickBooks Online / Intuit, Dropbox):
// three HMAC-SHA256 schemes of the raw body, two base64 and one hex.
//
// Intuit's vector is the one its official Java SDK pins in a test
// (intuit/QuickBooks-V3-Java-SDK ipp-v3-java-devkit/src/test/java/com/intuit/
// ipp/services/WebhooksServiceTest.java: verifier token, legacy payload and
// intuit-signature, copied as literals), which openssl reproduces. The
// signature does not depend on the payload format, so a second vector signs
// the CloudEvents payload of the same test file with the same token.
//
// Xero and Dropbox publish no secret/payload/signature triple: Xero's
// receiver samples (XeroAPI/XeroWebhooksReceiver, XeroAPI/xero-php-webhook)
// and SDK tests sign at run time, and Dropbox's example app
// (dropbox/mdwebhook) only verifies. Their vectors were computed with
//
//	printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | openssl base64 -A   (Xero, Intuit)
//	printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"                               (Dropbox)
//
// from the algorithm each documents, cross-checked with Python's hmac
// module. The key is used as is, never decoded: Xero's webhooks key looks
// like base64, and Xero's own receiver keys the HMAC with its UTF-8 bytes
// (XeroWebhooksReceiver Helpers/SignatureVerifier.cs), as the PHP sample
// does with hash_hmac.
//
// Each test also checks that the scheme under test is exactly the one
// providers/<name>.json describes (batchCDefinition builds it the way the
// generator does).

import (
	"net/http"
	"testing"
)

type batchHVector struct {
	provider string // providers/<provider>.json
	name     string
	method   string // byDocumented or byDerived
	source   string
	scheme   HMAC
	secret   string
	body     string
	header   string // the header value the provider sends
}

// The schemes the definitions must describe.
var (
	batchHXero    = HMAC{Header: "x-xero-signature", Algorithm: SHA256, Encoding: Base64}
	batchHIntuit  = HMAC{Header: "intuit-signature", Algorithm: SHA256, Encoding: Base64}
	batchHDropbox = HMAC{Header: "X-Dropbox-Signature", Algorithm: SHA256, Encoding: Hex}
)

// batchHXeroKey is a made-up webhooks key shaped like Xero's (base64 text).
const batchHXeroKey = "dG9rZW4tZm9yLXhlcm8td2ViaG9va3MtdGVzdHMtMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A="

var batchHVectors = []batchHVector{
	{
		// Xero's Intent to Receive request: the body
		// developer.xero.com/documentation/guides/webhooks/configuring-your-server
		// shows (minified), signed as it documents: "hashed using HMACSHA256
		// with your webhook signing key and base64 encoded".
		provider: "xero",
		name:     "intent to receive",
		method:   byDerived,
		source:   "developer.xero.com webhooks configuring-your-server, Intent to receive (computed with openssl)",
		scheme:   batchHXero,
		secret:   batchHXeroKey,
		body:     `{"events":[],"lastEventSequence":0,"firstEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}`,
		header:   "O1PNpVWyj+9fsBGB2ujksjaEvgmv6wCqSTUzIkz64uk=",
	},
	{
		// A CONTACT UPDATE event: the example of XeroAPI/Xero-OpenAPI
		// xero-webhooks.yaml (200WebhookDataReceivedOk), the body of
		// schemas/samples/xero/contact.json.
		provider: "xero",
		name:     "contact event",
		method:   byDerived,
		source:   "XeroAPI/Xero-OpenAPI xero-webhooks.yaml contact example (computed with openssl)",
		scheme:   batchHXero,
		secret:   batchHXeroKey,
		body:     `{"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/717f2bfc-c6d4-41fd-b238-3f2f0c0cf777","resourceId":"717f2bfc-c6d4-41fd-b238-3f2f0c0cf777","eventDateUtc":"2024-06-21T01:15:39.902","eventType":"UPDATE","eventCategory":"CONTACT","tenantId":"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f","tenantType":"ORGANISATION"}],"lastEventSequence":1,"firstEventSequence":1,"entropy":"S0m3r4Nd0mt3xt"}`,
		header:   "OBKsHA3hVoAIPnlO1lSebzrUZ7ww22DdrqoLlKIIvR4=",
	},
	{
		// Intuit's published vector: WebhooksServiceTest.testVerifyPayload
		// (verifierToken, payload, intuitSignature).
		provider: "intuit",
		name:     "Java SDK vector",
		method:   byDocumented,
		source:   "intuit/QuickBooks-V3-Java-SDK ipp-v3-java-devkit WebhooksServiceTest.java (testVerifyPayload)",
		scheme:   batchHIntuit,
		secret:   "b5771f19b12ddb4bcdb9f08bdc50bc63878a",
		body:     `{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}`,
		header:   "JC2GUwciPmRBwEO7WvrRmKqu9tGOKL8FFallocTFi8Q=",
	},
	{
		// The CloudEvents payload of the same test file
		// (testGetWebhooksCloudEvents), signed with its verifier token.
		provider: "intuit",
		name:     "CloudEvents payload",
		method:   byDerived,
		source:   "intuit/QuickBooks-V3-Java-SDK WebhooksServiceTest.java CloudEvents payload (computed with openssl)",
		scheme:   batchHIntuit,
		secret:   "b5771f19b12ddb4bcdb9f08bdc50bc63878a",
		body:     `[{"specversion":"1.0","id":"d1a3aedd-9670-41bf-a4f9-c148a1cc4e03","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=","type":"qbo.class.created.v1","time":"2025-10-07T19:59:07.034359333Z","intuitentityid":"1234","intuitaccountid":"310687"}]`,
		header:   "1lzsg+Xzy5KEwYeo0OfpUWUYFyV8YgWyrakbLir96Wk=",
	},
	{
		// Dropbox: X-Dropbox-Signature is the HMAC-SHA256 of the entire
		// request body keyed with the app secret, hex
		// (dropbox.com/developers/reference/webhooks; dropbox/mdwebhook
		// app.py validate_request: hmac.new(APP_SECRET, body,
		// sha256).hexdigest()). Body: the documented notification with one
		// account and one user; the secret is made up.
		provider: "dropbox",
		name:     "notification",
		method:   byDerived,
		source:   "dropbox.com/developers/reference/webhooks and dropbox/mdwebhook app.py (computed with openssl)",
		scheme:   batchHDropbox,
		secret:   "dropbox-app-secret-7f3k2m9q",
		body:     `{"list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]}, "delta": {"users": [12345678]}}`,
		header:   "0f16c4ed92ea428258d37c8b5867dd195783baf3e2ce8b159a6d32911d010521",
	},
}

func TestBatchHSchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]HMAC{"xero": batchHXero, "intuit": batchHIntuit, "dropbox": batchHDropbox} {
		t.Run(name, func(t *testing.T) {
			checkDefinition(t, name, Scheme(want))
		})
	}
}

func TestBatchHVectors(t *testing.T) {
	for _, v := range batchHVectors {
		t.Run(v.provider+"/"+v.name, func(t *testing.T) {
			checkDefinition(t, v.provider, Scheme(v.scheme))
			h := header(v.scheme.Header, v.header)
			body := []byte(v.body)

			wantErr(t, "vector ("+v.source+")", v.scheme.Verify(h, body, secrets(v.secret), testNow), nil)
			wantErr(t, "vector among rotated secrets", v.scheme.Verify(h, body, secrets("old-"+v.secret, v.secret), testNow), nil)
			// The header name is matched without regard to case (Xero and
			// Intuit document theirs in lower case).
			other := http.Header{}
			other.Set(v.scheme.Header, v.header) // Set canonicalises the name
			wantErr(t, "canonical header name", v.scheme.Verify(other, body, secrets(v.secret), testNow), nil)

			// Our Sign writes exactly the provider's header.
			signed := http.Header{}
			v.scheme.Sign(signed, body, []byte(v.secret), testNow)
			if got := signed.Get(v.scheme.Header); got != v.header {
				t.Errorf("Sign = %q, vector %q", got, v.header)
			}

			for _, i := range []int{0, len(body) / 2, len(body) - 1} {
				tampered := []byte(v.body)
				tampered[i] ^= 0x01
				wantErr(t, "body with one byte changed", v.scheme.Verify(h, tampered, secrets(v.secret), testNow), ErrSignatureMismatch)
			}
			wantErr(t, "wrong secret", v.scheme.Verify(h, body, secrets(v.secret+"x"), testNow), ErrSignatureMismatch)
			wantErr(t, "no signature header", v.scheme.Verify(http.Header{}, body, secrets(v.secret), testNow), ErrMissingSignature)
			proven(t, v.provider, v.method, v.source)
		})
	}
}

// Xero's key is text that looks like base64: decoding it first (a common
// mistake) gives another key, and Xero's signature no longer verifies.
func TestBatchHXeroKeyIsNotDecoded(t *testing.T) {
	v := batchHVectors[0]
	if v.provider != "xero" {
		t.Fatal("batchHVectors[0] is not a Xero vector")
	}
	decoded, err := Base64.decode(batchHXeroKey)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "decoded key", v.scheme.Verify(header(v.scheme.Header, v.header), []byte(v.body), [][]byte{decoded}, testNow), ErrSignatureMismatch)
}
