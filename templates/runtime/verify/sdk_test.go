package verify

// Conformance against the providers' own Go SDKs: stripe-go
// (github.com/stripe/stripe-go/v82/webhook) and go-github
// (github.com/google/go-github/v75/github). Each direction is checked: the
// SDK's signature passes our Verify, and our Sign passes the SDK's check.
//
// The go-github half lives in sdk_github_test.go. Shopify publishes no Go SDK; its algorithm is pinned by documented
// vectors in vectors_test.go.

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

const stripeSecret = "whsec_test_secret" // stripe-go webhook/client_test.go testSecret

var stripeBodies = [][]byte{
	[]byte(`{"id":"evt_test_webhook","object":"event"}`),
	{},
	[]byte("\x00\xff\n\r\t binary"),
	[]byte(`{"name":"Zoë 🚀","note":"t=1,v1=00"}`),
	bytes.Repeat([]byte("0123456789abcdef"), 1<<16), // 1 MiB
}

// stripeSDKHeader is the header stripe-go's own test helper generates.
func stripeSDKHeader(body []byte, secret string, ts time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: body, Secret: secret, Timestamp: ts,
	}).Header
}

func TestStripeSDKSignatureVerifies(t *testing.T) {
	s := stripeScheme()
	for i, body := range stripeBodies {
		sdk := stripeSDKHeader(body, stripeSecret, testNow)
		wantErr(t, "stripe-go header", s.Verify(header("Stripe-Signature", sdk), body, secrets(stripeSecret), testNow), nil)

		// Our Sign writes byte-for-byte what stripe-go writes.
		ours := signedAt(s, body, stripeSecret, testNow).Get("Stripe-Signature")
		if ours != sdk {
			t.Errorf("body %d: Sign = %q, stripe-go = %q", i, ours, sdk)
		}
		// And the MAC equals stripe-go's ComputeSignature.
		want := "t=1700000000,v1=" + hex.EncodeToString(webhook.ComputeSignature(testNow, body, stripeSecret))
		if ours != want {
			t.Errorf("body %d: Sign = %q, ComputeSignature gives %q", i, ours, want)
		}
	}
}

func TestStripeSDKCases(t *testing.T) {
	s := stripeScheme()
	body := stripeBodies[0]
	ts := "1700000000"
	sigUnder := func(secret string) string {
		return hex.EncodeToString(webhook.ComputeSignature(testNow, body, secret))
	}
	good := sigUnder(stripeSecret)
	rolled := sigUnder(stripeSecret + "_rolled_key")
	for _, c := range []struct {
		name   string
		header string
		body   []byte
		secret []string
		want   error // ours
		sdkOK  bool  // stripe-go ValidatePayloadIgnoringTolerance
	}{
		{"rotation: old then new v1, new secret", "t=" + ts + ",v1=" + rolled + ",v1=" + good, body, []string{stripeSecret}, nil, true},
		{"rotation: old then new v1, old secret", "t=" + ts + ",v1=" + rolled + ",v1=" + good, body, []string{stripeSecret + "_rolled_key"}, nil, true},
		{"rotation: neither secret", "t=" + ts + ",v1=" + rolled + ",v1=" + good, body, []string{"whsec_other"}, ErrSignatureMismatch, false},
		{"v0 entry ignored, v1 valid", "t=" + ts + ",v1=" + good + ",v0=" + strings.Repeat("ab", 32), body, []string{stripeSecret}, nil, true},
		{"valid MAC under v0 only", "t=" + ts + ",v0=" + good, body, []string{stripeSecret}, ErrMalformedSignature, false},
		{"valid MAC under v0, bad v1", "t=" + ts + ",v0=" + good + ",v1=" + rolled, body, []string{stripeSecret}, ErrSignatureMismatch, false},
		{"unreadable v1 ignored", "t=" + ts + ",v1=bad_signature,v1=" + good, body, []string{stripeSecret}, nil, true},
		{"wrong secret", "t=" + ts + ",v1=" + good, body, []string{"whsec_wrong"}, ErrSignatureMismatch, false},
		{"tampered body (one byte)", "t=" + ts + ",v1=" + good, append(append([]byte{}, body[:len(body)-1]...), '!'), []string{stripeSecret}, ErrSignatureMismatch, false},
		{"tampered timestamp", "t=1700000001,v1=" + good, body, []string{stripeSecret}, ErrSignatureMismatch, false},
	} {
		wantErr(t, c.name, s.Verify(header("Stripe-Signature", c.header), c.body, secrets(c.secret...), testNow), c.want)
		// stripe-go checks one secret at a time.
		err := webhook.ValidatePayloadIgnoringTolerance(c.body, c.header, c.secret[0])
		if (err == nil) != c.sdkOK {
			t.Errorf("%s: stripe-go = %v, want ok=%v", c.name, err, c.sdkOK)
		}
	}
	// Tampering one byte anywhere in the body is caught by both.
	for i := range body {
		b := append([]byte{}, body...)
		b[i] ^= 0x01
		h := "t=" + ts + ",v1=" + good
		if s.Verify(header("Stripe-Signature", h), b, secrets(stripeSecret), testNow) == nil {
			t.Fatalf("byte %d flipped: we accept", i)
		}
		if webhook.ValidatePayloadIgnoringTolerance(b, h, stripeSecret) == nil {
			t.Fatalf("byte %d flipped: stripe-go accepts", i)
		}
	}
}

// stripe-go validates against the real clock (time.Since), so the
// reverse-direction and tolerance tests use time.Now with wide margins.

func TestOurSignPassesStripeSDK(t *testing.T) {
	s := stripeScheme()
	now := time.Now()
	for i, body := range stripeBodies {
		h := signedAt(s, body, stripeSecret, now).Get("Stripe-Signature")
		if err := webhook.ValidatePayload(body, h, stripeSecret); err != nil {
			t.Errorf("body %d: stripe-go ValidatePayload = %v", i, err)
		}
		if err := webhook.ValidatePayloadWithTolerance(body, h, stripeSecret, webhook.DefaultTolerance); err != nil {
			t.Errorf("body %d: stripe-go ValidatePayloadWithTolerance = %v", i, err)
		}
	}
	body := stripeBodies[0]
	h := signedAt(s, body, stripeSecret, now).Get("Stripe-Signature")
	if err := webhook.ValidatePayload(body, h, "whsec_wrong"); !errors.Is(err, webhook.ErrNoValidSignature) {
		t.Errorf("wrong secret: stripe-go = %v, want ErrNoValidSignature", err)
	}
	if err := webhook.ValidatePayload(append([]byte(" "), body...), h, stripeSecret); !errors.Is(err, webhook.ErrNoValidSignature) {
		t.Errorf("tampered body: stripe-go = %v, want ErrNoValidSignature", err)
	}
	// The event parses through stripe-go's full path as well.
	evt, err := webhook.ConstructEventWithOptions(body, h, stripeSecret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil || evt.ID != "evt_test_webhook" {
		t.Errorf("ConstructEventWithOptions = %v, %v", evt.ID, err)
	}
	proven(t, "stripe", bySDK, "github.com/stripe/stripe-go/v82/webhook")
}

func TestStripeStaleTimestampBothRefuse(t *testing.T) {
	s := stripeScheme()
	body := stripeBodies[0]
	now := time.Now()

	// Ten minutes old: both refuse, and both call it a clock problem.
	old := now.Add(-10 * time.Minute)
	sdk := stripeSDKHeader(body, stripeSecret, old)
	wantErr(t, "stale stripe-go header", s.Verify(header("Stripe-Signature", sdk), body, secrets(stripeSecret), now), ErrTimestampExpired)
	ours := signedAt(s, body, stripeSecret, old).Get("Stripe-Signature")
	if err := webhook.ValidatePayload(body, ours, stripeSecret); !errors.Is(err, webhook.ErrTooOld) {
		t.Errorf("stale: stripe-go = %v, want ErrTooOld", err)
	}
	if err := webhook.ValidatePayloadWithTolerance(body, ours, stripeSecret, 300*time.Second); !errors.Is(err, webhook.ErrTooOld) {
		t.Errorf("stale: stripe-go with tolerance = %v, want ErrTooOld", err)
	}

	// Four minutes old: both accept.
	recent := now.Add(-4 * time.Minute)
	sdk = stripeSDKHeader(body, stripeSecret, recent)
	wantErr(t, "recent stripe-go header", s.Verify(header("Stripe-Signature", sdk), body, secrets(stripeSecret), now), nil)
	if err := webhook.ValidatePayload(body, signedAt(s, body, stripeSecret, recent).Get("Stripe-Signature"), stripeSecret); err != nil {
		t.Errorf("recent: stripe-go = %v", err)
	}
}

func TestStripeFutureTimestamp(t *testing.T) {
	s := stripeScheme()
	body := stripeBodies[0]
	now := time.Now()
	future := now.Add(10 * time.Minute)
	sdk := stripeSDKHeader(body, stripeSecret, future)
	// We refuse a timestamp more than Tolerance ahead of our clock, so a
	// signature minted with a skewed-forward clock (or one that leaked) cannot
	// be replayed for longer than the tolerance.
	wantErr(t, "future stripe-go header", s.Verify(header("Stripe-Signature", sdk), body, secrets(stripeSecret), now), ErrTimestampExpired)
	wantErr(t, "slightly future", s.Verify(header("Stripe-Signature", stripeSDKHeader(body, stripeSecret, now.Add(time.Minute))), body, secrets(stripeSecret), now), nil)
	// Documented difference, not asserted: stripe-go v82 only checks the past
	// (time.Since(ts) > tolerance), so it accepts this future timestamp.
	t.Logf("stripe-go on a timestamp 10 min ahead: %v (ours: refused)", webhook.ValidatePayload(body, sdk, stripeSecret))
}
