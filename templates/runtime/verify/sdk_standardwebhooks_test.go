package verify

// Conformance of the Standard Webhooks scheme against the two Go libraries
// that define it: standard-webhooks/standard-webhooks libraries/go (the
// spec's reference library) and svix/svix-webhooks go (Svix, where the
// scheme came from; Clerk and Resend deliver through it). Each direction is
// checked: the library's signature passes our Verify, and our Sign passes
// the library's Verify. The spec's own vector (the same in every language's
// test suite) pins the byte layout.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	svix "github.com/svix/svix-webhooks/go"
)

// From libraries/go/webhook_test.go TestWebhookSign (and python
// tests/test_webhooks.py test_sign_function) in
// github.com/standard-webhooks/standard-webhooks.
const (
	swSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	swMsgID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	swTimestamp = 1614265330
	swPayload   = `{"test": 2432232314}`
	swExpected  = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func swKey(t *testing.T, secret string) [][]byte {
	t.Helper()
	keys, err := DecodeSecrets(WhsecBase64, secrets(secret))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestStandardWebhooksSpecVector(t *testing.T) {
	at := time.Unix(swTimestamp, 0)
	s := StandardWebhooks("webhook", 5*time.Minute)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", swMsgID)
	s.Sign(h, []byte(swPayload), swKey(t, swSecret)[0], at)
	if got := h.Get("webhook-signature"); got != swExpected {
		t.Fatalf("Sign = %q, the spec's vector is %q", got, swExpected)
	}
	if got := h.Get("webhook-timestamp"); got != "1614265330" {
		t.Fatalf("timestamp header = %q", got)
	}
	wantErr(t, "spec vector", s.Verify(h, []byte(swPayload), swKey(t, swSecret), at), nil)
}

// Both libraries check the clock against time.Now, so these tests do too.
func TestStandardWebhooksLibrarySignatureVerifies(t *testing.T) {
	now := time.Now()
	lib, err := standardwebhooks.NewWebhook(swSecret)
	if err != nil {
		t.Fatal(err)
	}
	svixLib, err := svix.NewWebhook(swSecret)
	if err != nil {
		t.Fatal(err)
	}
	key := swKey(t, swSecret)
	for _, body := range [][]byte{[]byte(swPayload), {}, []byte("{\"name\":\"Zoë 🚀\",\"sig\":\"v1,AAAA\"}\n")} {
		for _, c := range []struct {
			name, prefix string
			sign         func(id string, at time.Time, body []byte) (string, error)
		}{
			{"standard-webhooks", "webhook", lib.Sign},
			{"svix", "svix", svixLib.Sign},
		} {
			sig, err := c.sign(swMsgID, now, body)
			if err != nil {
				t.Fatal(err)
			}
			s := StandardWebhooks(c.prefix, 5*time.Minute)
			h := http.Header{}
			h.Set(c.prefix+"-id", swMsgID)
			h.Set(c.prefix+"-timestamp", s.FormatTime(now))
			h.Set(c.prefix+"-signature", sig)
			wantErr(t, c.name+" signature", s.Verify(h, body, key, now), nil)

			// Our Sign writes what the library writes.
			ours := http.Header{}
			ours.Set(c.prefix+"-id", swMsgID)
			s.Sign(ours, body, key[0], now)
			if ours.Get(c.prefix+"-signature") != sig {
				t.Errorf("%s: Sign = %q, library = %q", c.name, ours.Get(c.prefix+"-signature"), sig)
			}

			// What the library refuses, we refuse.
			tampered := append([]byte("x"), body...)
			wantErr(t, c.name+" changed byte", s.Verify(h, tampered, key, now), ErrSignatureMismatch)
			wantErr(t, c.name+" wrong secret", s.Verify(h, body, secrets("another key"), now), ErrSignatureMismatch)
			wantErr(t, c.name+" stale", s.Verify(h, body, key, now.Add(5*time.Minute+time.Second)), ErrTimestampExpired)
			wantErr(t, c.name+" future", s.Verify(h, body, key, now.Add(-5*time.Minute-time.Second)), ErrTimestampExpired)
			otherID := h.Clone()
			otherID.Set(c.prefix+"-id", "msg_other")
			wantErr(t, c.name+" other id", s.Verify(otherID, body, key, now), ErrSignatureMismatch)
		}
	}
}

func TestStandardWebhooksOurSignaturePassesLibraries(t *testing.T) {
	now := time.Now()
	lib, _ := standardwebhooks.NewWebhook(swSecret)
	svixLib, _ := svix.NewWebhook(swSecret)
	key := swKey(t, swSecret)[0]
	body := []byte(`{"type":"user.created","data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC"}}`)

	h := http.Header{}
	StandardWebhooks("webhook", 5*time.Minute).Sign(h, body, key, now)
	if h.Get("webhook-id") == "" {
		t.Fatal("Sign set no message id")
	}
	if err := lib.Verify(body, h); err != nil {
		t.Errorf("standard-webhooks refuses our signature: %v", err)
	}
	if err := svixLib.Verify(body, h); err != nil {
		t.Errorf("svix refuses our webhook-* signature: %v", err)
	}
	sh := http.Header{}
	StandardWebhooks("svix", 5*time.Minute).Sign(sh, body, key, now)
	if err := svixLib.Verify(body, sh); err != nil {
		t.Errorf("svix refuses our svix-* signature: %v", err)
	}
	// A control: the libraries do refuse a changed body.
	if lib.Verify(append(body, ' '), h) == nil || svixLib.Verify(append(body, ' '), sh) == nil {
		t.Fatal("a library accepted a changed body: this test proves nothing")
	}
	proven(t, "standard-webhooks", bySDK, "github.com/standard-webhooks/standard-webhooks/libraries/go")
	proven(t, "svix", bySDK, "github.com/svix/svix-webhooks/go")
}

func TestStandardWebhooksListAndRotation(t *testing.T) {
	now := time.Unix(swTimestamp, 0)
	s := StandardWebhooks("webhook", 5*time.Minute)
	key := swKey(t, swSecret)
	body := []byte(swPayload)
	good := swExpected
	other := "v1,Ceu9TVsj6HJLr0WHx0ibL2+tZYDm7Ik8eeg8f3zKzY0="
	h := func(sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", swMsgID)
		h.Set("webhook-timestamp", "1614265330")
		h.Set("webhook-signature", sig)
		return h
	}
	for _, c := range []struct {
		name, sig string
		want      error
	}{
		{"one", good, nil},
		{"rotating: other first", other + " " + good, nil},
		{"rotating: ours first", good + " " + other, nil},
		{"asymmetric entry skipped", "v1a,aGVsbG8= " + good, nil},
		{"only an unknown version", "v2," + strings.TrimPrefix(good, "v1,"), ErrMalformedSignature},
		{"no version", strings.TrimPrefix(good, "v1,"), ErrMalformedSignature},
		{"not base64", "v1,!!!", ErrMalformedSignature},
		{"other signature only", other, ErrSignatureMismatch},
		{"too many entries", strings.Repeat(other+" ", 40) + good, ErrMalformedSignature},
	} {
		wantErr(t, c.name, s.Verify(h(c.sig), body, key, now), c.want)
	}
	noID := h(good)
	noID.Del("webhook-id")
	wantErr(t, "no id", s.Verify(noID, body, key, now), ErrMalformedSignature)
	twoStamps := h(good)
	twoStamps.Add("webhook-timestamp", "1614265331")
	wantErr(t, "two timestamps", s.Verify(twoStamps, body, key, now), ErrMalformedSignature)
	noStamp := h(good)
	noStamp.Del("webhook-timestamp")
	wantErr(t, "no timestamp", s.Verify(noStamp, body, key, now), ErrMalformedSignature)
	wantErr(t, "no signature", s.Verify(http.Header{"Webhook-Id": {swMsgID}}, body, key, now), ErrMissingSignature)
}

func TestDecodeSecrets(t *testing.T) {
	for _, c := range []struct {
		enc    SecretEncoding
		in     string
		want   string
		errHas string
	}{
		{Raw, "whsec_abc", "whsec_abc", ""},
		{WhsecBase64, "whsec_aGVsbG8=", "hello", ""},
		{WhsecBase64, "aGVsbG8=", "hello", ""},
		{WhsecBase64, "whsec_not base64!", "", "not base64"},
		{HexKey, "68656c6c6f", "hello", ""},
		{HexKey, "zz", "", "not hexadecimal"},
		{Base64Key, "aGVsbG8=", "hello", ""},
		{WhsecBase64, "whsec_", "", "empty"},
		{"rot13", "x", "", "unknown secret encoding"},
	} {
		got, err := DecodeSecrets(c.enc, secrets(c.in))
		if c.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("%s %q: err = %v, want %q", c.enc, c.in, err, c.errHas)
			}
			if err != nil && c.in != "" && c.in != "x" && strings.Contains(err.Error(), c.in) {
				t.Errorf("the error repeats the secret: %v", err)
			}
			continue
		}
		if err != nil || string(got[0]) != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.enc, c.in, got, err, c.want)
		}
	}
	for _, enc := range []SecretEncoding{Raw, WhsecBase64, HexKey, Base64Key} {
		key := []byte("k\x00\xffey")
		if got, err := DecodeSecrets(enc, secrets(EncodeSecret(enc, key))); err != nil || string(got[0]) != string(key) {
			t.Errorf("%s: EncodeSecret does not round-trip: %q, %v", enc, got, err)
		}
	}
	if _, err := DecodeSecrets(HexKey, secrets("00", "zz")); err == nil || !strings.Contains(err.Error(), "secret 2 of 2") {
		t.Errorf("error does not say which secret: %v", err)
	}
}
