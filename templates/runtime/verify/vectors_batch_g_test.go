package verify

// Signature vectors for batch G (HubSpot's Webhooks API v3 signature). The
// SDK conformance in both directions runs in sdk_npm_hubspot_test.go; here,
// that the definition describes the scheme under test, and the vector the
// HubSpot Python SDK publishes in its own tests
// (HubSpot/hubspot-api-python tests/spec/utils/test_signature.py,
// test_get_signature__v3: client secret yyyyyyyy-..., POST,
// https://www.example.com/webhook_uri, body {'example_field':'example_value'},
// timestamp 15000000), which openssl reproduces:
//
//	printf '%s' "POST$URL$BODY$TS" | openssl dgst -sha256 -hmac "$SECRET" -binary | openssl base64 -A
//
// Okta (batch F) keeps its token scheme; only its events became a batch.

import (
	"net/http"
	"testing"
	"time"
)

func TestBatchGSchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]URLHMAC{
		"hubspot": hubspotScheme(),
	} {
		t.Run(name, func(t *testing.T) {
			checkDefinition(t, name, Scheme(want))
		})
	}
}

func TestBatchGHubSpotPublishedVector(t *testing.T) {
	s := hubspotScheme()
	const (
		secret    = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
		url       = "https://www.example.com/webhook_uri"
		body      = "{'example_field':'example_value'}"
		timestamp = "15000000"
		signature = "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="
	)
	at := time.UnixMilli(15000000)
	r := Request{Method: http.MethodPost, URL: url}
	h := http.Header{}
	h.Set("X-HubSpot-Signature-v3", signature)
	h.Set("X-HubSpot-Request-Timestamp", timestamp)
	wantErr(t, "published vector", s.VerifyRequest(r, h, []byte(body), secrets(secret), at), nil)
	wantErr(t, "published vector, 4 minutes later", s.VerifyRequest(r, h, []byte(body), secrets(secret), at.Add(4*time.Minute)), nil)
	wantErr(t, "published vector, 6 minutes later", s.VerifyRequest(r, h, []byte(body), secrets(secret), at.Add(6*time.Minute)), ErrTimestampExpired)
	wantErr(t, "GET instead of POST", s.VerifyRequest(Request{Method: http.MethodGet, URL: url}, h, []byte(body), secrets(secret), at), ErrSignatureMismatch)
	wantErr(t, "http instead of https", s.VerifyRequest(Request{Method: http.MethodPost, URL: "http://www.example.com/webhook_uri"}, h, []byte(body), secrets(secret), at), ErrSignatureMismatch)
	wantErr(t, "changed body", s.VerifyRequest(r, h, []byte(body+" "), secrets(secret), at), ErrSignatureMismatch)
	other := h.Clone()
	other.Set("X-HubSpot-Request-Timestamp", "15000001")
	wantErr(t, "changed timestamp", s.VerifyRequest(r, other, []byte(body), secrets(secret), at), ErrSignatureMismatch)
	other = h.Clone()
	other.Del("X-HubSpot-Request-Timestamp")
	wantErr(t, "no timestamp", s.VerifyRequest(r, other, []byte(body), secrets(secret), at), ErrMalformedSignature)
	wantErr(t, "no signature", s.VerifyRequest(r, http.Header{"X-Hubspot-Request-Timestamp": {timestamp}}, []byte(body), secrets(secret), at), ErrMissingSignature)

	signed := http.Header{}
	s.SignRequest(r, signed, []byte(body), []byte(secret), at)
	if got := signed.Get("X-HubSpot-Signature-v3"); got != signature {
		t.Errorf("SignRequest = %q, HubSpot's vector %q", got, signature)
	}
	if got := signed.Get("X-HubSpot-Request-Timestamp"); got != timestamp {
		t.Errorf("SignRequest timestamp = %q, want %q", got, timestamp)
	}
	proven(t, "hubspot", byDocumented, "HubSpot/hubspot-api-python tests/spec/utils/test_signature.py (v3)")
}
