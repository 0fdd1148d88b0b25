package verify

// Signature vectors for the batch-F providers (slack, zoom, twitch, okta,
// zendesk, box): schemes with the timestamp (and sometimes a message id) in
// headers of their own, RFC 3339 timestamps, and a token scheme. Each test
// first checks that the scheme under test has exactly the parameters of
// providers/<name>.json, so a vector cannot pass for a scheme the
// definition does not use.
//
// Where a provider publishes a signed example (Box's SDKs; Slack's docs, in
// sdk_slack_test.go) it is copied here as literals with its source. Zoom,
// Twitch and Zendesk publish the algorithm but no secret/payload/signature
// triple, so those signatures were computed from the documented algorithm
// with Python's hmac module and cross-checked with
//
//	printf '%s' "$SIGNED" | openssl dgst -sha256 -hmac "$SECRET" [-binary | base64]
//
// and the comment on each vector says so.

import (
	"net/http"
	"testing"
	"time"
)

// The schemes, as in providers/<name>.json.
var (
	batchFZoom = TimestampedHMAC{
		Header: "x-zm-signature", Algorithm: SHA256, Encoding: Hex,
		TimestampHeader: "x-zm-request-timestamp", Prefix: "v0=",
		SignedPayload: "v0:{timestamp}:{body}", Unit: Seconds, Tolerance: 5 * time.Minute,
	}
	batchFTwitch = TimestampedHMAC{
		Header: "Twitch-Eventsub-Message-Signature", Algorithm: SHA256, Encoding: Hex,
		TimestampHeader: "Twitch-Eventsub-Message-Timestamp", Prefix: "sha256=",
		IDHeader: "Twitch-Eventsub-Message-Id", SignedPayload: "{id}{timestamp}{body}",
		Unit: RFC3339, Tolerance: 10 * time.Minute,
	}
	batchFZendesk = TimestampedHMAC{
		Header: "X-Zendesk-Webhook-Signature", Algorithm: SHA256, Encoding: Base64,
		TimestampHeader: "X-Zendesk-Webhook-Signature-Timestamp",
		SignedPayload:   "{timestamp}{body}", Unit: RFC3339, Tolerance: 5 * time.Minute,
	}
	batchFBox = TimestampedHMAC{
		Header: "BOX-SIGNATURE-PRIMARY", Algorithm: SHA256, Encoding: Base64,
		TimestampHeader: "BOX-DELIVERY-TIMESTAMP",
		SignedPayload:   "{body}{timestamp}", Unit: RFC3339, Tolerance: 10 * time.Minute,
	}
	batchFOkta = Token{Header: "Authorization"}
)

func TestBatchFSchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]Scheme{
		// Slack's vector and slack-go's verifier run in sdk_slack_test.go,
		// against slackScheme(); here only that the definition is that scheme.
		"slack":   slackScheme(),
		"zoom":    batchFZoom,
		"twitch":  batchFTwitch,
		"zendesk": batchFZendesk,
		"box":     batchFBox,
		"okta":    batchFOkta,
	} {
		t.Run(name, func(t *testing.T) {
			checkDefinition(t, name, want)
		})
	}
}

type batchFVector struct {
	provider string
	source   string
	method   string // how it proves the scheme (see conformance_test.go)
	scheme   TimestampedHMAC
	secret   string
	body     string
	headers  map[string]string // as the provider sends them
	at       time.Time         // the vector's timestamp
	// signs: our Sign at `at` writes exactly these headers (false when the
	// provider writes its timestamp in a form FormatTime does not, such as
	// Box's -07:00 offset).
	signs bool
}

func batchFTime(t string) time.Time {
	at, err := time.Parse(time.RFC3339Nano, t)
	if err != nil {
		panic(err)
	}
	return at
}

var batchFVectors = []batchFVector{
	{
		// Zoom: x-zm-signature is "v0=" + hex HMAC-SHA256(secret token,
		// "v0:" + x-zm-request-timestamp + ":" + raw body) —
		// https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
		// and zoom/webhook-sample index.js (which signs JSON.stringify of the
		// parsed body; the raw body is what Zoom signed). Body: the
		// meeting.started example of zoom/webhook-sample README.md with its
		// placeholders filled in, timestamp its event_ts in seconds. No
		// published signature: computed with Python hmac and openssl.
		provider: "zoom",
		source:   "developers.zoom.us/docs/api/webhooks + zoom/webhook-sample (computed)",
		method:   byDerived,
		scheme:   batchFZoom,
		secret:   "Sec7rET0kEnZ00mWebh00k",
		body:     `{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"duration":0,"start_time":"2021-11-02T20:43:19Z","timezone":"America/Denver","topic":"Weekly sync","id":"86195843321","type":4,"uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"x1yCzABCDEfg23HiJKl4mN"}},"event_ts":1635885799302}`,
		headers: map[string]string{
			"x-zm-request-timestamp": "1635885799",
			"x-zm-signature":         "v0=29323f4ad5764bcfb0e9961151e25508d88cda88455c40f640b75487e9d4d524",
		},
		at:    time.Unix(1635885799, 0),
		signs: true,
	},
	{
		// Twitch EventSub: Twitch-Eventsub-Message-Signature is "sha256=" + hex
		// HMAC-SHA256(secret, message id + timestamp + raw body), no
		// separators —
		// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
		// and twitchdev/twitch-cli internal/events/trigger/forward_event.go.
		// Message id and timestamp are the docs' example values; the body is
		// the docs' channel.follow (v2) notification. Neither publishes a
		// signature (twitch-cli's test computes it at run time): computed
		// with Python hmac and openssl.
		provider: "twitch",
		source:   "dev.twitch.tv/docs/eventsub/handling-webhook-events + twitchdev/twitch-cli forward_event.go (computed)",
		method:   byDerived,
		scheme:   batchFTwitch,
		secret:   "s3cRe7-eventsub-callback",
		body:     `{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"enabled","type":"channel.follow","version":"2","cost":0,"condition":{"broadcaster_user_id":"1337","moderator_user_id":"1337"},"transport":{"method":"webhook","callback":"https://example.com/webhooks/twitch"},"created_at":"2019-11-16T10:11:12.634234626Z"},"event":{"user_id":"1234","user_login":"cool_user","user_name":"Cool_User","broadcaster_user_id":"1337","broadcaster_user_login":"cooler_user","broadcaster_user_name":"Cooler_User","followed_at":"2020-07-15T18:16:11.17106713Z"}}`,
		headers: map[string]string{
			"Twitch-Eventsub-Message-Id":        "befa7b53-d79d-478f-86b9-120f112b044e",
			"Twitch-Eventsub-Message-Timestamp": "2019-11-16T10:11:12.634234626Z",
			"Twitch-Eventsub-Message-Signature": "sha256=d61f4b529c49fb2e3cd0e3e57fc4d34297fbfdcd0f47bd61db80efedc8333576",
		},
		at:    batchFTime("2019-11-16T10:11:12.634234626Z"),
		signs: true,
	},
	{
		// Zendesk: X-Zendesk-Webhook-Signature is base64(HMAC-SHA256(signing
		// secret, X-Zendesk-Webhook-Signature-Timestamp + raw body)) —
		// https://developer.zendesk.com/documentation/webhooks/verifying/.
		// The secret is the static test signing secret that page's NodeJS
		// example uses, passed to createHmac as text (not base64-decoded);
		// the timestamp is the one of
		// developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/;
		// the body a user.created event shaped like the example of
		// developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/.
		// The page publishes no signature for a body: computed with Python
		// hmac and openssl.
		provider: "zendesk",
		source:   "developer.zendesk.com/documentation/webhooks/verifying (computed)",
		method:   byDerived,
		scheme:   batchFZendesk,
		secret:   "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
		body:     `{"type":"zen:event-type:user.created","account_id":12514403,"id":"2b24ef10-19d4-4740-93cf-8f98ec4776c0","time":"2021-03-25T05:09:26Z","zendesk_event_version":"2022-06-20","subject":"zen:user:6596848315901","detail":{"created_at":"2021-03-25T05:09:26Z","email":"jdoe@example.org","external_id":"","default_group_id":"0","id":"6596848315901","organization_id":"0","role":"end-user","updated_at":"2021-03-25T05:09:26Z"},"event":{}}`,
		headers: map[string]string{
			"X-Zendesk-Webhook-Signature-Timestamp": "2021-03-25T05:09:27Z",
			"X-Zendesk-Webhook-Signature":           "fu0eiNQMb6w+JuiqaeQyRBmbGxkf5n2UaFFaLWOroQQ=",
		},
		at:    batchFTime("2021-03-25T05:09:27Z"),
		signs: true,
	},
	{
		// Box: BOX-SIGNATURE-PRIMARY is base64(HMAC-SHA256(primary key, raw
		// body + BOX-DELIVERY-TIMESTAMP)) —
		// https://developer.box.com/guides/webhooks/v2/signatures-v2/. The
		// whole vector is published: box/box-node-sdk
		// tests/lib/managers/webhooks-test.js validateMessage() ("A sample
		// webhook message that is signed with 'SamplePrimaryKey' and
		// 'SampleSecondaryKey'"), the same literals in box-python-sdk's and
		// box-java-sdk's webhook tests and the node SDK's docs/webhooks.md.
		provider: "box",
		source:   "box/box-node-sdk tests/lib/managers/webhooks-test.js (published)",
		method:   byDocumented,
		scheme:   batchFBox,
		secret:   "SamplePrimaryKey",
		body:     `{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}`,
		headers: map[string]string{
			"BOX-DELIVERY-ID":         "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f",
			"BOX-DELIVERY-TIMESTAMP":  "2020-01-01T00:00:00-07:00",
			"BOX-SIGNATURE-ALGORITHM": "HmacSHA256",
			"BOX-SIGNATURE-PRIMARY":   "6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI=",
			"BOX-SIGNATURE-SECONDARY": "v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo=",
			"BOX-SIGNATURE-VERSION":   "1",
		},
		at: batchFTime("2020-01-01T00:00:00-07:00"),
	},
}

func (v batchFVector) header() http.Header {
	h := http.Header{}
	for k, val := range v.headers {
		h.Set(k, val)
	}
	return h
}

func TestBatchFTimestampedVectors(t *testing.T) {
	for _, v := range batchFVectors {
		t.Run(v.provider, func(t *testing.T) {
			checkDefinition(t, v.provider, v.scheme)
			s, body := v.scheme, []byte(v.body)
			h := v.header()
			wantErr(t, "vector ("+v.source+")", s.Verify(h, body, secrets(v.secret), v.at), nil)
			wantErr(t, "vector among rotated secrets", s.Verify(h, body, secrets("old-"+v.secret, v.secret), v.at), nil)
			wantErr(t, "at the edge of the window", s.Verify(h, body, secrets(v.secret), v.at.Add(s.Tolerance)), nil)
			wantErr(t, "stale", s.Verify(h, body, secrets(v.secret), v.at.Add(s.Tolerance+time.Second)), ErrTimestampExpired)
			wantErr(t, "future", s.Verify(h, body, secrets(v.secret), v.at.Add(-s.Tolerance-time.Second)), ErrTimestampExpired)
			for _, i := range []int{0, len(body) / 2, len(body) - 1} {
				tampered := []byte(v.body)
				tampered[i] ^= 0x01
				wantErr(t, "body with one byte changed", s.Verify(h, tampered, secrets(v.secret), v.at), ErrSignatureMismatch)
			}
			wantErr(t, "wrong secret", s.Verify(h, body, secrets(v.secret+"x"), v.at), ErrSignatureMismatch)

			// The timestamp is signed: another one, even the same instant
			// written otherwise, does not verify.
			other := v.header()
			if s.Unit == RFC3339 {
				other.Set(s.TimestampHeader, v.at.Add(time.Second).Format(time.RFC3339Nano))
			} else {
				other.Set(s.TimestampHeader, s.FormatTime(v.at.Add(time.Second)))
			}
			wantErr(t, "other timestamp", s.Verify(other, body, secrets(v.secret), v.at), ErrSignatureMismatch)
			noStamp := v.header()
			noStamp.Del(s.TimestampHeader)
			wantErr(t, "no timestamp header", s.Verify(noStamp, body, secrets(v.secret), v.at), ErrMalformedSignature)
			noSig := v.header()
			noSig.Del(s.Header)
			wantErr(t, "no signature header", s.Verify(noSig, body, secrets(v.secret), v.at), ErrMissingSignature)

			if v.signs {
				signed := http.Header{}
				if s.IDHeader != "" {
					signed.Set(s.IDHeader, v.headers[s.IDHeader])
				}
				s.Sign(signed, body, []byte(v.secret), v.at)
				for _, k := range []string{s.Header, s.TimestampHeader} {
					if got, want := signed.Get(k), h.Get(k); got != want {
						t.Errorf("Sign wrote %s: %q, the vector has %q", k, got, want)
					}
				}
			} else {
				// Our own signature at that instant verifies, in our spelling
				// of the timestamp.
				wantErr(t, "our signature", s.Verify(signedAt(s, body, v.secret, v.at), body, secrets(v.secret), v.at), nil)
			}
			proven(t, v.provider, v.method, v.source)
		})
	}
}

// Twitch signs the message id too: another id, or none, does not verify.
func TestBatchFTwitchMessageID(t *testing.T) {
	v := batchFVectors[1]
	if v.provider != "twitch" {
		t.Fatalf("vector 1 is %s", v.provider)
	}
	s, body := v.scheme, []byte(v.body)
	h := v.header()
	h.Set(s.IDHeader, "befa7b53-d79d-478f-86b9-120f112b044f")
	wantErr(t, "other message id", s.Verify(h, body, secrets(v.secret), v.at), ErrSignatureMismatch)
	h.Del(s.IDHeader)
	wantErr(t, "no message id", s.Verify(h, body, secrets(v.secret), v.at), ErrMalformedSignature)
	// A timestamp without nanoseconds, as RFC 3339 allows, is signed as sent.
	at := batchFTime("2019-11-16T10:11:12Z")
	wantErr(t, "whole seconds", s.Verify(signedAt(s, body, v.secret, at), body, secrets(v.secret), at), nil)
}

// Box signs two headers with two keys. The definition reads only
// BOX-SIGNATURE-PRIMARY, which Box always signs with the primary key: the
// published secondary signature checks out with the secondary key under
// the same framing, but the secondary key cannot verify the primary header,
// which is why the definition tells users to rotate the primary key with
// "<new primary>, <old primary>" rather than lean on the secondary key.
func TestBatchFBoxTwoKeys(t *testing.T) {
	v := batchFVectors[3]
	if v.provider != "box" {
		t.Fatalf("vector 3 is %s", v.provider)
	}
	body, h := []byte(v.body), v.header()
	secondary := v.scheme
	secondary.Header = "BOX-SIGNATURE-SECONDARY"
	wantErr(t, "published secondary signature", secondary.Verify(h, body, secrets("SampleSecondaryKey"), v.at), nil)
	wantErr(t, "primary header, secondary key only", v.scheme.Verify(h, body, secrets("SampleSecondaryKey"), v.at), ErrSignatureMismatch)
	wantErr(t, "primary header, both keys configured", v.scheme.Verify(h, body, secrets("SampleSecondaryKey", "SamplePrimaryKey"), v.at), nil)
	// Box writes its timestamps with an offset; the instant is what counts
	// for the window.
	wantErr(t, "window in UTC", v.scheme.Verify(h, body, secrets(v.secret), batchFTime("2020-01-01T07:10:00Z")), nil)
	wantErr(t, "stale in UTC", v.scheme.Verify(h, body, secrets(v.secret), batchFTime("2020-01-01T07:10:01Z")), ErrTimestampExpired)
}

// Zendesk's verification page once carried a literal example (secret
// "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=", body `{"say": "hello"}`,
// timestamp 2021-07-25T10:00:00Z, signature tRDSF7...) under the formula
// base64(HMACSHA256((BODY)(TIMESTAMP))). That signature is indeed the body
// followed by the timestamp, with the secret as text; the page now says
// base64(HMACSHA256(TIMESTAMP + BODY)), which is what the definition (and
// the integrations in the wild) use. This pins both facts, so the retired
// example is not mistaken for a vector of the current scheme.
func TestBatchFZendeskRetiredExample(t *testing.T) {
	const (
		secret    = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="
		body      = `{"say": "hello"}`
		timestamp = "2021-07-25T10:00:00Z"
		signature = "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="
	)
	h := http.Header{}
	h.Set("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
	h.Set("X-Zendesk-Webhook-Signature", signature)
	at := batchFTime(timestamp)
	retired := batchFZendesk
	retired.SignedPayload = "{body}{timestamp}"
	wantErr(t, "retired example, body then timestamp", retired.Verify(h, []byte(body), secrets(secret), at), nil)
	wantErr(t, "retired example, current framing", batchFZendesk.Verify(h, []byte(body), secrets(secret), at), ErrSignatureMismatch)
}

// Okta event hooks send the Authorization value configured in Okta as is
// (https://developer.okta.com/docs/concepts/event-hooks/#http-headers:
// "Authorization: {key}", "not an Okta authorization token, it's simply a
// text string you decide on"), without signing the body.
func TestBatchFOktaToken(t *testing.T) {
	s := batchFOkta
	const key = "okta-event-hook-7a0f4c2e9b1d4e6f8a3c5b7d9e1f2a4c"
	body := []byte(`{"eventType":"com.okta.event_hook","eventId":"85b60edb-4263-4e13-993b-818e26201052"}`)
	wantErr(t, "configured value", s.Verify(header("Authorization", key), body, secrets(key), testNow), nil)
	wantErr(t, "among rotated values", s.Verify(header("Authorization", key), body, secrets("previous-"+key, key), testNow), nil)
	wantErr(t, "another value", s.Verify(header("Authorization", key+"x"), body, secrets(key), testNow), ErrSignatureMismatch)
	wantErr(t, "with a scheme the user did not configure", s.Verify(header("Authorization", "Bearer "+key), body, secrets(key), testNow), ErrSignatureMismatch)
	wantErr(t, "a configured scheme is part of the value", s.Verify(header("Authorization", "Bearer "+key), body, secrets("Bearer "+key), testNow), nil)
	wantErr(t, "no header", s.Verify(http.Header{}, body, secrets(key), testNow), ErrMissingSignature)
	signed := http.Header{}
	s.Sign(signed, body, []byte(key), testNow)
	if got := signed.Get("Authorization"); got != key {
		t.Errorf("Sign wrote Authorization %q, Okta sends %q", got, key)
	}
	proven(t, "okta", byDocumented, "developer.okta.com/docs/concepts/event-hooks (HTTP headers: Authorization: {key}, sent verbatim)")
}
