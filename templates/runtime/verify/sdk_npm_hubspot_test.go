package verify

// HubSpot's v3 signature against HubSpot's own Node SDK, @hubspot/api-client
// (lib/src/utils/signature.js: Signature.isValid and Signature.getSignature
// with signatureVersion 'v3'), run through the shared npm driver
// (sdk_npm_test.go, TestNPMConformance/HubSpot). Both directions: our
// SignRequest passes the SDK's isValid, and signatures the SDK (and plain
// node:crypto, following the documented algorithm) computes pass our
// VerifyRequest; changing the body, the URL, the secret, the method or the
// timestamp makes the SDK refuse too, so the check is not vacuous.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hubspotScheme is X-HubSpot-Signature-v3 as providers/hubspot.json describes
// it (TestBatchGSchemesMatchDefinitions checks that they agree).
func hubspotScheme() URLHMAC {
	return URLHMAC{
		Header: "X-HubSpot-Signature-v3", Algorithm: SHA256, Encoding: Base64,
		SignedPayload:   "{method}{url}{body}{timestamp}",
		TimestampHeader: "X-HubSpot-Request-Timestamp", Unit: Milliseconds, Tolerance: 5 * time.Minute,
	}
}

var hubspotBodies = []string{
	`[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]`,
	`[{"eventId":3029365631,"subscriptionId":686627,"portalId":891472211,"occurredAt":1715203101896,"subscriptionType":"contact.propertyChange","objectId":847297356,"propertyName":"firstname","propertyValue":"Zoë 🚀 \"quoted\""},{"eventId":3029365632,"subscriptionId":686628,"portalId":891472211,"occurredAt":1715203101897,"subscriptionType":"contact.deletion","objectId":847297357}]`,
	`[]`,
}

var hubspotURLs = []string{
	"https://hooks.example.com/webhooks/hubspot",
	"https://hooks.example.com:8443/prefix/webhooks/hubspot?tenant=acme&x=1",
}

func testHubSpotNPM(t *testing.T, d npmDriver) {
	s := hubspotScheme()
	checkDefinition(t, "hubspot", Scheme(s))
	const secret = "hubspot-client-secret-3f9c2a7e"
	now := time.Now() // the SDK checks the age against Date.now()
	ts := strconv.FormatInt(now.UnixMilli(), 10)

	var cases []npmCase
	want := map[string]bool{}
	add := func(c npmCase, ok bool) { cases, want[c.ID] = append(cases, c), ok }
	for i, u := range hubspotURLs {
		for j, body := range hubspotBodies {
			id := fmt.Sprintf("%d/%d", i, j)
			// (a) Our signature passes isValid...
			h := http.Header{}
			s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, []byte(body), []byte(secret), now)
			c := npmCase{ID: id + " ours", Op: "hubspot.verify", Signature: h.Get(s.Header), Key: secret, Body: []byte(body), URL: u, Method: "POST", Timestamp: h.Get(s.TimestampHeader)}
			add(c, true)
			// ...and the SDK refuses the same signature for anything else.
			other := c
			other.ID, other.Body = id+" changed body", []byte(body+" ")
			add(other, false)
			other = c
			other.ID, other.URL = id+" other URL", u+"/"
			add(other, false)
			other = c
			other.ID, other.Key = id+" wrong secret", secret+"x"
			add(other, false)
			other = c
			other.ID, other.Method = id+" other method", "PUT"
			add(other, false)
			other = c
			n, _ := strconv.ParseInt(c.Timestamp, 10, 64)
			other.ID, other.Timestamp = id+" other timestamp", strconv.FormatInt(n+1, 10)
			add(other, false)
			// (b) The SDK's getSignature, and node:crypto's documented algorithm.
			add(npmCase{ID: id + " sdk sign", Op: "hubspot.sign", Key: secret, Body: []byte(body), URL: u, Method: "POST", Timestamp: ts}, true)
			add(npmCase{ID: id + " documented", Op: "hubspot.documented", Key: secret, Body: []byte(body), URL: u, Method: "POST", Timestamp: ts}, true)
		}
	}
	// A stale timestamp: the SDK refuses (it throws), and so do we.
	old := now.Add(-6 * time.Minute)
	h := http.Header{}
	s.SignRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), []byte(secret), old)
	add(npmCase{ID: "stale", Op: "hubspot.verify", Signature: h.Get(s.Header), Key: secret, Body: []byte(hubspotBodies[0]), URL: hubspotURLs[0], Method: "POST", Timestamp: h.Get(s.TimestampHeader)}, false)
	wantErr(t, "stale", s.VerifyRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), secrets(secret), now), ErrTimestampExpired)
	// A future one: isValid only checks the age, so it passes; our
	// definition refuses it.
	h = http.Header{}
	s.SignRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), []byte(secret), now.Add(6*time.Minute))
	add(npmCase{ID: "future", Op: "hubspot.verify", Signature: h.Get(s.Header), Key: secret, Body: []byte(hubspotBodies[0]), URL: hubspotURLs[0], Method: "POST", Timestamp: h.Get(s.TimestampHeader)}, true)
	wantErr(t, "future", s.VerifyRequest(Request{Method: http.MethodPost, URL: hubspotURLs[0]}, h, []byte(hubspotBodies[0]), secrets(secret), now), ErrTimestampExpired)

	res := d.run(t, cases)
	for _, c := range cases {
		expectNPM(t, res, c.ID, want[c.ID])
	}
	if r := res["stale"]; !strings.Contains(r.Refusal, "Timestamp") {
		t.Errorf("stale: SDK said %q, want its timestamp error", r.Refusal)
	}

	for i, u := range hubspotURLs {
		for j, body := range hubspotBodies {
			id := fmt.Sprintf("%d/%d", i, j)
			sdk, documented := res[id+" sdk sign"].Signature, res[id+" documented"].Signature
			if sdk == "" || sdk != documented {
				t.Errorf("%s: SDK getSignature %q, node:crypto %q", id, sdk, documented)
			}
			req := Request{Method: http.MethodPost, URL: u}
			h := http.Header{}
			h.Set(s.Header, sdk)
			h.Set(s.TimestampHeader, ts)
			b := []byte(body)
			wantErr(t, id+" SDK signature", s.VerifyRequest(req, h, b, secrets("old-secret", secret), now), nil)
			wantErr(t, id+" SDK signature, changed body", s.VerifyRequest(req, h, append(b, ' '), secrets(secret), now), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, other URL", s.VerifyRequest(Request{Method: http.MethodPost, URL: u + "/"}, h, b, secrets(secret), now), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, other method", s.VerifyRequest(Request{Method: http.MethodPut, URL: u}, h, b, secrets(secret), now), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, wrong secret", s.VerifyRequest(req, h, b, secrets(secret+"x"), now), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, 6 minutes later", s.VerifyRequest(req, h, b, secrets(secret), now.Add(6*time.Minute)), ErrTimestampExpired)
			wantErr(t, id+" SDK signature, 6 minutes earlier", s.VerifyRequest(req, h, b, secrets(secret), now.Add(-6*time.Minute)), ErrTimestampExpired)
			// Byte for byte what our SignRequest writes at that millisecond.
			ours := http.Header{}
			s.SignRequest(req, ours, b, []byte(secret), time.UnixMilli(now.UnixMilli()))
			if ours.Get(s.Header) != sdk || ours.Get(s.TimestampHeader) != ts {
				t.Errorf("%s: SignRequest wrote %q at %q, the SDK %q at %q", id, ours.Get(s.Header), ours.Get(s.TimestampHeader), sdk, ts)
			}
		}
	}
	proven(t, "hubspot", bySDK, npmSource("@hubspot/api-client", "Signature.isValid"))
}
