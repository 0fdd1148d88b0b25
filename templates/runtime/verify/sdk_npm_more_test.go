package verify

// More providers against their npm SDKs, through the shared driver
// (sdk_npm_test.go, TestNPMConformance/<Provider>):
//
//   - Linear: @linear/sdk LinearWebhookClient.verify (from @linear/sdk/webhooks).
//   - Sanity: @sanity/webhook isValidSignature and encodeSignatureHeader.
//   - Mux: @mux/mux-node webhooks.verifySignature, unwrap and computeSignature.
//   - Razorpay: razorpay Razorpay.validateWebhookSignature.
//   - Discord: discord-interactions verifyKey.
//   - SendGrid: @sendgrid/eventwebhook EventWebhook.verifySignature with
//     convertPublicKeyToECDSA.
//   - Twilio: twilio validateRequest, validateRequestWithBody and
//     getExpectedTwilioSignature.
//   - Standard Webhooks: standardwebhooks Webhook.verify and sign.
//   - Box: box-node-sdk WebhooksManager.validateMessage and
//     computeWebhookSignature.
//
// Each runs both directions: our signature passes the SDK's verifier, and
// a signature the SDK makes (or, where it has no signer, one its verifier
// accepts, made with node:crypto) passes ours. Controls show the SDK's check
// can fail: a changed body, a wrong secret or key, another timestamp, and
// stale or future timestamps where the SDK looks at the clock. Where the SDK
// and our definition differ, the test says so: stricter on our side is
// asserted; narrower on our side is logged with "DIFFERS:" (the definitions
// are not this test's to change).
//
// SDKs that compare the timestamp with Date.now() are given signatures made
// at time.Now(); the others at testNow.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sharedKeyControls are a shared-key SDK's verify cases for one body: our
// signature (to accept), and the body changed or another secret (to refuse).
func sharedKeyControls(id, op string, body []byte, secret, sig string) []npmCase {
	return []npmCase{
		{ID: id + " ours", Op: op, Body: body, Key: secret, Signature: sig},
		{ID: id + " changed body", Op: op, Body: plusSpace(body), Key: secret, Signature: sig},
		{ID: id + " wrong secret", Op: op, Body: body, Key: secret + "x", Signature: sig},
	}
}

func plusSpace(b []byte) []byte { return append(append([]byte{}, b...), ' ') }

// differs logs where our definition is narrower than the SDK.
func differs(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Logf("DIFFERS: "+format, args...)
}

func linearScheme() HMAC {
	return HMAC{Header: "Linear-Signature", Algorithm: SHA256, Encoding: Hex}
}

func sanityScheme() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "Sanity-Webhook-Signature", Algorithm: SHA256, Encoding: Base64URL,
		PairSeparator: ",", TimestampKey: "t", SignatureKey: "v1",
		SignedPayload: "{timestamp}.{body}", Unit: Milliseconds, Tolerance: time.Hour,
	}
}

func muxScheme() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "Mux-Signature", Algorithm: SHA256, Encoding: Hex,
		PairSeparator: ",", TimestampKey: "t", SignatureKey: "v1",
		SignedPayload: "{timestamp}.{body}", Unit: Seconds, Tolerance: 5 * time.Minute,
	}
}

func razorpayScheme() HMAC {
	return HMAC{Header: "X-Razorpay-Signature", Algorithm: SHA256, Encoding: Hex}
}

func boxScheme() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "BOX-SIGNATURE-PRIMARY", Algorithm: SHA256, Encoding: Base64,
		TimestampHeader: "BOX-DELIVERY-TIMESTAMP", SignedPayload: "{body}{timestamp}",
		Unit: RFC3339, Tolerance: 10 * time.Minute,
	}
}

// --- Linear ------------------------------------------------------------------

var webhookTimestampField = regexp.MustCompile(`"webhookTimestamp":\s*\d+`)

// linearBodies carry webhookTimestamp = at (ms): LinearWebhookClient.verify
// refuses a body whose timestamp is more than a minute from now.
func linearBodies(t *testing.T, at time.Time) [][]byte {
	t.Helper()
	ms := strconv.FormatInt(at.UnixMilli(), 10)
	var out [][]byte
	for _, b := range npmBodies(t, filepath.Join("linear", "issue.json"))[:1] {
		if !webhookTimestampField.Match(b) {
			t.Fatal("linear/issue.json has no webhookTimestamp")
		}
		out = append(out, webhookTimestampField.ReplaceAll(b, []byte(`"webhookTimestamp": `+ms)))
	}
	big := strings.Repeat(`{"k":"0123456789abcdef"},`, 2730)
	return append(out,
		[]byte(`{"action":"create","type":"Comment","data":{"body":"Zoë 🚀 – naïve café, 100 €","html":"<b>&amp;</b> a\/b"},"webhookTimestamp":`+ms+`}`),
		[]byte(`{"action":"update","type":"Issue","data":[`+big+`{}],"webhookTimestamp":`+ms+"}\n"),
	)
}

func testLinearNPM(t *testing.T, d npmDriver) {
	s := linearScheme()
	checkDefinition(t, "linear", s)
	const secret = "lin_wh_3f9c2a7e5b1d4c8a9e0f"
	now := time.Now()
	bodies := linearBodies(t, now)
	sign := func(body []byte, key string) string {
		h := http.Header{}
		s.Sign(h, body, []byte(key), now)
		return h.Get(s.Header)
	}

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		sig := sign(body, secret)
		cases = append(cases, sharedKeyControls(id, "linear.verify", body, secret, sig)...)
		cases = append(cases,
			// The SDK has no signer: verify computes node:crypto's hex HMAC,
			// which stands in for the other direction.
			npmCase{ID: id + " node hmac", Op: "linear.hmac", Body: body, Key: secret},
		)
	}
	// The SDK also checks the body's webhookTimestamp; our definition checks
	// the HMAC only (its delivery notes say so).
	stale := linearBodies(t, now.Add(-2*time.Minute))[1]
	future := linearBodies(t, now.Add(2*time.Minute))[1]
	untimed := []byte(`{"action":"create","type":"Comment","data":{"id":"1"}}`)
	for name, b := range map[string][]byte{"stale": stale, "future": future, "untimed": untimed} {
		cases = append(cases, npmCase{ID: name, Op: "linear.verify", Body: b, Key: secret, Signature: sign(b, secret)})
	}
	res := d.run(t, cases)

	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		expectNPM(t, res, id+" changed body", false)
		expectNPM(t, res, id+" wrong secret", false)
		node := expectNPM(t, res, id+" node hmac", true).Signature
		if node != sign(body, secret) {
			t.Errorf("%s: Sign = %q, node:crypto = %q", id, sign(body, secret), node)
		}
		h := header(s.Header, node)
		wantErr(t, id+" node signature", s.Verify(h, body, secrets("old", secret), now), nil)
		wantErr(t, id+" node signature, changed body", s.Verify(h, plusSpace(body), secrets(secret), now), ErrSignatureMismatch)
		wantErr(t, id+" node signature, wrong secret", s.Verify(h, body, secrets(secret+"x"), now), ErrSignatureMismatch)
	}
	for name, b := range map[string][]byte{"stale": stale, "future": future, "untimed": untimed} {
		r := expectNPM(t, res, name, false)
		if err := s.Verify(header(s.Header, sign(b, secret)), b, secrets(secret), now); err == nil {
			differs(t, "linear %s webhookTimestamp: the SDK refuses (%s), our definition accepts (HMAC only)", name, r.Refusal)
		}
	}
	proven(t, "linear", bySDK, npmSource("@linear/sdk", "LinearWebhookClient.verify"))
}

// --- Sanity ------------------------------------------------------------------

func testSanityNPM(t *testing.T, d npmDriver) {
	s := sanityScheme()
	checkDefinition(t, "sanity", s)
	const secret = "sanity-webhook-secret-9f8e7d"
	at := testNow.Add(123 * time.Millisecond) // the SDK has no clock
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	bodies := npmBodies(t, filepath.Join("sanity", "update.json"))

	var cases []npmCase
	ours := map[int]string{}
	for i, body := range bodies {
		id := fmt.Sprint(i)
		h := http.Header{}
		s.Sign(h, body, []byte(secret), at)
		sig := h.Get(s.Header)
		ours[i] = sig
		n, _ := strconv.ParseInt(ts, 10, 64)
		cases = append(cases, sharedKeyControls(id, "sanity.verify", body, secret, sig)...)
		cases = append(cases,
			npmCase{ID: id + " other timestamp", Op: "sanity.verify", Body: body, Key: secret,
				Signature: strings.Replace(sig, "t="+ts, "t="+strconv.FormatInt(n+1, 10), 1)},
			npmCase{ID: id + " sdk sign", Op: "sanity.sign", Body: body, Key: secret, Timestamp: ts},
		)
	}
	res := d.run(t, cases)

	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		for _, c := range []string{" changed body", " wrong secret", " other timestamp"} {
			expectNPM(t, res, id+c, false)
		}
		sdk := expectNPM(t, res, id+" sdk sign", true).Signature
		if sdk != ours[i] {
			t.Errorf("%s: Sign wrote %q, encodeSignatureHeader %q", id, ours[i], sdk)
		}
		h := header(s.Header, sdk)
		wantErr(t, id+" SDK header", s.Verify(h, body, secrets("old", secret), at), nil)
		wantErr(t, id+" SDK header, changed body", s.Verify(h, plusSpace(body), secrets(secret), at), ErrSignatureMismatch)
		wantErr(t, id+" SDK header, wrong secret", s.Verify(h, body, secrets(secret+"x"), at), ErrSignatureMismatch)
		// isValidSignature never looks at the clock (it accepted ours, made
		// in 2023); our definition allows an hour either way.
		wantErr(t, id+" SDK header, 61 minutes later", s.Verify(h, body, secrets(secret), at.Add(61*time.Minute)), ErrTimestampExpired)
		wantErr(t, id+" SDK header, 61 minutes earlier", s.Verify(h, body, secrets(secret), at.Add(-61*time.Minute)), ErrTimestampExpired)
	}
	proven(t, "sanity", bySDK, npmSource("@sanity/webhook", "isValidSignature/encodeSignatureHeader"))
}

// --- Mux ---------------------------------------------------------------------

func testMuxNPM(t *testing.T, d npmDriver) {
	s := muxScheme()
	checkDefinition(t, "mux", s)
	const secret = "mux-signing-secret-0a1b2c3d4e5f"
	now := time.Unix(time.Now().Unix(), 0) // verifySignature compares with Date.now()
	ts := strconv.FormatInt(now.Unix(), 10)
	bodies := npmBodies(t, filepath.Join("mux", "video_asset_ready.json"))
	signAt := func(body []byte, at time.Time) string {
		h := http.Header{}
		s.Sign(h, body, []byte(secret), at)
		return h.Get(s.Header)
	}

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		sig := signAt(body, now)
		cases = append(cases, sharedKeyControls(id, "mux.verify", body, secret, sig)...)
		cases = append(cases,
			npmCase{ID: id + " other timestamp", Op: "mux.verify", Body: body, Key: secret,
				Signature: strings.Replace(sig, "t="+ts, "t="+strconv.FormatInt(now.Unix()-1, 10), 1)},
			npmCase{ID: id + " stale", Op: "mux.verify", Body: body, Key: secret, Signature: signAt(body, now.Add(-6*time.Minute))},
			npmCase{ID: id + " future", Op: "mux.verify", Body: body, Key: secret, Signature: signAt(body, now.Add(6*time.Minute))},
			npmCase{ID: id + " sdk sign", Op: "mux.sign", Body: body, Key: secret, Timestamp: ts},
		)
	}
	// unwrap (verify, then JSON.parse) on the sample, a JSON document.
	cases = append(cases, npmCase{ID: "unwrap", Op: "mux.unwrap", Body: bodies[0], Key: secret, Signature: signAt(bodies[0], now)})
	res := d.run(t, cases)

	expectNPM(t, res, "unwrap", true)
	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		for _, c := range []string{" changed body", " wrong secret", " other timestamp", " stale"} {
			expectNPM(t, res, id+c, false)
		}
		if r := res[id+" stale"]; !strings.Contains(r.Refusal, "too old") {
			t.Errorf("%s stale: verifySignature said %q, want its age error", id, r.Refusal)
		}
		wantErr(t, id+" stale", s.Verify(header(s.Header, signAt(body, now.Add(-6*time.Minute))), body, secrets(secret), now), ErrTimestampExpired)
		// verifySignature only refuses old timestamps: one 6 minutes ahead
		// passes it; our definition refuses it.
		expectNPM(t, res, id+" future", true)
		wantErr(t, id+" future", s.Verify(header(s.Header, signAt(body, now.Add(6*time.Minute))), body, secrets(secret), now), ErrTimestampExpired)

		sdk := expectNPM(t, res, id+" sdk sign", true).Signature
		if want := "t=" + ts + ",v1=" + sdk; want != signAt(body, now) {
			t.Errorf("%s: Sign wrote %q, computeSignature gives %q", id, signAt(body, now), want)
		}
		h := header(s.Header, "t="+ts+",v1="+sdk)
		wantErr(t, id+" SDK signature", s.Verify(h, body, secrets("old", secret), now), nil)
		wantErr(t, id+" SDK signature, changed body", s.Verify(h, plusSpace(body), secrets(secret), now), ErrSignatureMismatch)
		wantErr(t, id+" SDK signature, wrong secret", s.Verify(h, body, secrets(secret+"x"), now), ErrSignatureMismatch)
		wantErr(t, id+" SDK signature, 6 minutes later", s.Verify(h, body, secrets(secret), now.Add(6*time.Minute)), ErrTimestampExpired)
	}
	proven(t, "mux", bySDK, npmSource("@mux/mux-node", "webhooks.verifySignature/computeSignature"))
}

// --- Razorpay ----------------------------------------------------------------

func testRazorpayNPM(t *testing.T, d npmDriver) {
	s := razorpayScheme()
	checkDefinition(t, "razorpay", s)
	const secret = "rzp_webhook_secret_7c6b5a"
	bodies := npmBodies(t, filepath.Join("razorpay", "payment_captured.json"))
	sign := func(body []byte) string {
		h := http.Header{}
		s.Sign(h, body, []byte(secret), testNow)
		return h.Get(s.Header)
	}

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		sig := sign(body)
		cases = append(cases, sharedKeyControls(id, "razorpay.verify", body, secret, sig)...)
		cases = append(cases,
			// No signer in the SDK: node:crypto's hex HMAC, which
			// validateWebhookSignature computes too.
			npmCase{ID: id + " node hmac", Op: "razorpay.hmac", Body: body, Key: secret},
		)
	}
	res := d.run(t, cases)
	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		expectNPM(t, res, id+" changed body", false)
		expectNPM(t, res, id+" wrong secret", false)
		node := expectNPM(t, res, id+" node hmac", true).Signature
		if node != sign(body) {
			t.Errorf("%s: Sign = %q, node:crypto = %q", id, sign(body), node)
		}
		h := header(s.Header, node)
		wantErr(t, id+" node signature", s.Verify(h, body, secrets("old", secret), testNow), nil)
		wantErr(t, id+" node signature, changed body", s.Verify(h, plusSpace(body), secrets(secret), testNow), ErrSignatureMismatch)
		wantErr(t, id+" node signature, wrong secret", s.Verify(h, body, secrets(secret+"x"), testNow), ErrSignatureMismatch)
	}
	proven(t, "razorpay", bySDK, npmSource("razorpay", "Razorpay.validateWebhookSignature"))
}

// --- Discord -----------------------------------------------------------------

func testDiscordNPM(t *testing.T, d npmDriver) {
	s := discordScheme()
	checkDefinition(t, "discord", s)
	seed, pub, err := GenerateKey(Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	_, otherPub, _ := GenerateKey(Ed25519)
	pubHex := hex.EncodeToString(pub)
	ts := strconv.FormatInt(testNow.Unix(), 10)
	bodies := npmBodies(t, filepath.Join("discord", "application_authorized.json"))
	bodies = append(bodies, []byte(`{"id":"787053080478613555","application_id":"775799577604522054","type":1,"version":1}`), []byte{})

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		h := http.Header{}
		s.Sign(h, body, seed, testNow)
		sig := h.Get(s.Header)
		if h.Get(s.TimestampHeader) != ts {
			t.Fatalf("timestamp header %q", h.Get(s.TimestampHeader))
		}
		flipped := []byte(sig)
		flipped[0] ^= 1 // another hex digit
		cases = append(cases,
			npmCase{ID: id + " ours", Op: "discord.verify", Body: body, Key: pubHex, Signature: sig, Timestamp: ts},
			npmCase{ID: id + " changed body", Op: "discord.verify", Body: plusSpace(body), Key: pubHex, Signature: sig, Timestamp: ts},
			npmCase{ID: id + " other timestamp", Op: "discord.verify", Body: body, Key: pubHex, Signature: sig, Timestamp: strconv.FormatInt(testNow.Unix()+1, 10)},
			npmCase{ID: id + " other key", Op: "discord.verify", Body: body, Key: hex.EncodeToString(otherPub), Signature: sig, Timestamp: ts},
			npmCase{ID: id + " flipped", Op: "discord.verify", Body: body, Key: pubHex, Signature: string(flipped), Timestamp: ts},
			// verifyKey has no signer: node:crypto signs with a key of its
			// own, and the case reports whether verifyKey accepts that.
			npmCase{ID: id + " node sign", Op: "discord.sign", Body: body, Timestamp: ts},
		)
	}
	res := d.run(t, cases)
	// verifyKey never looks at the clock (it accepts 2023's testNow); our
	// definition allows 5 minutes either way.
	checkNodeKeySignatures(t, s, res, bodies, ts, pub, HexKey, []string{" changed body", " other timestamp", " other key", " flipped"})
	proven(t, "discord", bySDK, npmSource("discord-interactions", "verifyKey"))
}

// --- SendGrid ----------------------------------------------------------------

func testSendGridNPM(t *testing.T, d npmDriver) {
	s := sendgridScheme()
	checkDefinition(t, "sendgrid", s)
	priv, pubDER, err := GenerateKey(ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	_, otherDER, _ := GenerateKey(ECDSAP256)
	pub := base64.StdEncoding.EncodeToString(pubDER)
	ts := strconv.FormatInt(testNow.Unix(), 10)
	bodies := npmBodies(t, filepath.Join("sendgrid", "delivered.json"))
	bodies = append(bodies, []byte(sendgridPayload))

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		h := http.Header{}
		s.Sign(h, body, priv, testNow)
		sig := h.Get(s.Header)
		cases = append(cases,
			npmCase{ID: id + " ours", Op: "sendgrid.verify", Body: body, Key: pub, Signature: sig, Timestamp: ts},
			npmCase{ID: id + " changed body", Op: "sendgrid.verify", Body: plusSpace(body), Key: pub, Signature: sig, Timestamp: ts},
			npmCase{ID: id + " other timestamp", Op: "sendgrid.verify", Body: body, Key: pub, Signature: sig, Timestamp: strconv.FormatInt(testNow.Unix()+1, 10)},
			npmCase{ID: id + " other key", Op: "sendgrid.verify", Body: body, Key: base64.StdEncoding.EncodeToString(otherDER), Signature: sig, Timestamp: ts},
			// The SDK has no signer: node:crypto signs with a P-256 key of its
			// own, and the case reports whether verifySignature accepts that.
			npmCase{ID: id + " node sign", Op: "sendgrid.sign", Body: body, Timestamp: ts},
		)
	}
	// sendgrid's own published vector, through the npm SDK.
	cases = append(cases,
		npmCase{ID: "vector", Op: "sendgrid.verify", Body: []byte(sendgridPayload), Key: sendgridPublicKey, Signature: sendgridSignature, Timestamp: sendgridTimestamp},
		npmCase{ID: "vector, no CRLF", Op: "sendgrid.verify", Body: []byte(strings.TrimSuffix(sendgridPayload, "\r\n")), Key: sendgridPublicKey, Signature: sendgridSignature, Timestamp: sendgridTimestamp},
	)
	res := d.run(t, cases)
	expectNPM(t, res, "vector", true)
	expectNPM(t, res, "vector, no CRLF", false)
	// verifySignature never looks at the clock; our definition allows 10
	// minutes either way.
	checkNodeKeySignatures(t, s, res, bodies, ts, pubDER, Base64Key, []string{" changed body", " other timestamp", " other key"})
	proven(t, "sendgrid", bySDK, npmSource("@sendgrid/eventwebhook", "EventWebhook.verifySignature"))
}

// --- Twilio ------------------------------------------------------------------

// twilioForm is a form body with its fields in the given order, repeats kept.
func twilioForm(kv ...string) []byte {
	var b []string
	for i := 0; i+1 < len(kv); i += 2 {
		b = append(b, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
	}
	return []byte(strings.Join(b, "&"))
}

func testTwilioNPM(t *testing.T, d npmDriver) {
	s := twilioScheme()
	checkDefinition(t, "twilio", s)
	const token = "twilio-auth-token-5e4d3c2b1a"
	sample := map[string]string{}
	raw := npmBodies(t, filepath.Join("twilio", "received.json"))[0]
	if err := json.Unmarshal(raw, &sample); err != nil {
		t.Fatal(err)
	}
	forms := [][]byte{
		formOf(sample),
		formOf(map[string]string{"MessageSid": "SM1", "SmsStatus": "received", "Body": "héllo & ünïcode + 🚀 %20", "From": "+15005550006", "To": "+15005550001"}),
		// A repeated field, values out of order: Twilio sorts them.
		twilioForm("To", "+15005550001", "MediaUrl0", "https://b.example/2", "MediaUrl0", "https://a.example/1", "NumMedia", "2"),
		[]byte(""),
	}
	urls := []string{
		"https://hooks.example.com/webhooks/twilio",
		"https://hooks.example.com:8443/prefix/webhooks/twilio?tenant=a%20b&x=1",
		"https://hooks.example.com:443/webhooks/twilio?x=1",
	}
	sign := func(u string, body []byte, key string) string {
		h := http.Header{}
		s.SignRequest(Request{Method: http.MethodPost, URL: u}, h, body, []byte(key), testNow)
		return h.Get(s.Header)
	}

	var cases []npmCase
	for i, body := range forms {
		for j, u := range urls {
			id := fmt.Sprintf("%d/%d", i, j)
			sig := sign(u, body, token)
			cases = append(cases,
				npmCase{ID: id + " ours", Op: "twilio.verify", Body: body, URL: u, Key: token, Signature: sig},
				npmCase{ID: id + " changed body", Op: "twilio.verify", Body: append(append([]byte{}, body...), "&Extra=1"...), URL: u, Key: token, Signature: sig},
				npmCase{ID: id + " other URL", Op: "twilio.verify", Body: body, URL: u + "&y=2", Key: token, Signature: sig},
				npmCase{ID: id + " wrong token", Op: "twilio.verify", Body: body, URL: u, Key: token + "x", Signature: sig},
				npmCase{ID: id + " sdk sign", Op: "twilio.sign", Body: body, URL: u, Key: token},
			)
		}
	}
	// twilio-go's (and twilio-node's) published vector.
	cases = append(cases, npmCase{ID: "vector", Op: "twilio.verify", Body: formOf(twilioParams), URL: twilioURL, Key: twilioToken, Signature: twilioSignature})

	// JSON bodies: the URL carries bodySHA256 and only the URL is signed.
	jsonBody := []byte(`{"property": "value", "boolean": true, "note": "Zoë 🚀"}`)
	sum := sha256.Sum256(jsonBody)
	ju := "https://hooks.example.com/webhooks/twilio?bodySHA256=" + hex.EncodeToString(sum[:])
	jsig := sign(ju, jsonBody, token)
	cases = append(cases,
		npmCase{ID: "json ours", Op: "twilio.verifyBody", Body: jsonBody, URL: ju, Key: token, Signature: jsig},
		npmCase{ID: "json changed body", Op: "twilio.verifyBody", Body: plusSpace(jsonBody), URL: ju, Key: token, Signature: jsig},
		npmCase{ID: "json wrong token", Op: "twilio.verifyBody", Body: jsonBody, URL: ju, Key: token + "x", Signature: jsig},
		npmCase{ID: "json sdk sign", Op: "twilio.sign", Body: jsonBody, URL: ju, Key: token},
		npmCase{ID: "json body hash", Op: "twilio.bodyHash", Body: jsonBody},
	)

	// Probes of what the definition may not cover.
	dup := twilioForm("To", "+15005550001", "MediaUrl0", "https://a.example/1", "MediaUrl0", "https://a.example/1")
	wide := twilioForm("ｘ", "fullwidth", "😀", "astral")
	cases = append(cases,
		npmCase{ID: "dup ours", Op: "twilio.verify", Body: dup, URL: urls[0], Key: token, Signature: sign(urls[0], dup, token)},
		npmCase{ID: "dup sdk sign", Op: "twilio.sign", Body: dup, URL: urls[0], Key: token},
		npmCase{ID: "wide ours", Op: "twilio.verify", Body: wide, URL: urls[0], Key: token, Signature: sign(urls[0], wide, token)},
		npmCase{ID: "wide sdk sign", Op: "twilio.sign", Body: wide, URL: urls[0], Key: token},
		// SharedKey webhooks: X-Twilio-Webhooks-Signature-Settings names
		// HMAC_SHA256.
		npmCase{ID: "sha256 sdk sign", Op: "twilio.sign", Body: forms[1], URL: urls[0], Key: token, Option: "HMAC_SHA256"},
		npmCase{ID: "sha256 sdk verify", Op: "twilio.verify", Body: forms[1], URL: urls[0], Key: token, Signature: sign(urls[0], forms[1], token), Option: "HMAC_SHA256"},
	)
	res := d.run(t, cases)

	expectNPM(t, res, "vector", true)
	for i, body := range forms {
		for j, u := range urls {
			id := fmt.Sprintf("%d/%d", i, j)
			r := Request{Method: http.MethodPost, URL: u}
			expectNPM(t, res, id+" ours", true)
			for _, c := range []string{" changed body", " other URL", " wrong token"} {
				expectNPM(t, res, id+c, false)
			}
			sdk := expectNPM(t, res, id+" sdk sign", true).Signature
			if sdk != sign(u, body, token) {
				t.Errorf("%s: SignRequest = %q, getExpectedTwilioSignature = %q", id, sign(u, body, token), sdk)
			}
			h := header(s.Header, sdk)
			wantErr(t, id+" SDK signature", s.VerifyRequest(r, h, body, secrets("old", token), testNow), nil)
			wantErr(t, id+" SDK signature, changed body", s.VerifyRequest(r, h, append(append([]byte{}, body...), "&Extra=1"...), secrets(token), testNow), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, other URL", s.VerifyRequest(Request{Method: http.MethodPost, URL: u + "&y=2"}, h, body, secrets(token), testNow), ErrSignatureMismatch)
			wantErr(t, id+" SDK signature, wrong token", s.VerifyRequest(r, h, body, secrets(token+"x"), testNow), ErrSignatureMismatch)
		}
	}
	// The port quirk: signed over the URL with :443, received without it.
	wantErr(t, "SDK signature over :443, URL without", s.VerifyRequest(Request{Method: http.MethodPost, URL: "https://hooks.example.com/webhooks/twilio?x=1"},
		header(s.Header, res[fmt.Sprintf("%d/2 sdk sign", 1)].Signature), forms[1], secrets(token), testNow), nil)

	expectNPM(t, res, "json ours", true)
	expectNPM(t, res, "json changed body", false)
	expectNPM(t, res, "json wrong token", false)
	if got := expectNPM(t, res, "json body hash", true).Signature; got != hex.EncodeToString(sum[:]) {
		t.Errorf("getExpectedBodyHash = %q, sha256 = %x", got, sum)
	}
	jsdk := expectNPM(t, res, "json sdk sign", true).Signature
	if jsdk != jsig {
		t.Errorf("json: SignRequest = %q, getExpectedTwilioSignature = %q", jsig, jsdk)
	}
	jr := Request{Method: http.MethodPost, URL: ju}
	wantErr(t, "json SDK signature", s.VerifyRequest(jr, header(s.Header, jsdk), jsonBody, secrets(token), testNow), nil)
	wantErr(t, "json SDK signature, changed body", s.VerifyRequest(jr, header(s.Header, jsdk), plusSpace(jsonBody), secrets(token), testNow), ErrSignatureMismatch)
	wantErr(t, "json SDK signature, wrong token", s.VerifyRequest(jr, header(s.Header, jsdk), jsonBody, secrets(token+"x"), testNow), ErrSignatureMismatch)

	// A field repeated with the same value counts once, on both sides (the
	// SDK signs Array.from(new Set(values)); so does formParams).
	if r := res["dup ours"]; r.Error != "" || !r.OK {
		t.Errorf("twilio repeated value: validateRequest refuses our signature %s", r.Error)
	}
	wantErr(t, "repeated value, SDK signature", s.VerifyRequest(Request{Method: http.MethodPost, URL: urls[0]}, header(s.Header, res["dup sdk sign"].Signature), dup, secrets(token), testNow), nil)
	// Probes: logged, not asserted.
	for _, p := range []struct{ name, what string }{
		{"wide", "field names sorted differently by UTF-16 units (JavaScript) and bytes (Go): U+FF58 vs U+1F600"},
	} {
		if r := res[p.name+" ours"]; r.Error != "" || !r.OK {
			differs(t, "twilio %s: validateRequest refuses our signature %s", p.what, r.Error)
		}
		body := dup
		if p.name == "wide" {
			body = wide
		}
		if err := s.VerifyRequest(Request{Method: http.MethodPost, URL: urls[0]}, header(s.Header, res[p.name+" sdk sign"].Signature), body, secrets(token), testNow); err != nil {
			differs(t, "twilio %s: our VerifyRequest refuses getExpectedTwilioSignature's signature: %v", p.what, err)
		}
	}
	expectNPM(t, res, "sha256 sdk verify", false) // a SHA-1 signature is not a SHA-256 one
	sha256Sig := expectNPM(t, res, "sha256 sdk sign", true).Signature
	if err := s.VerifyRequest(Request{Method: http.MethodPost, URL: urls[0]}, header(s.Header, sha256Sig), forms[1], secrets(token), testNow); err != nil {
		differs(t, "twilio HMAC_SHA256 (SharedKey, X-Twilio-Webhooks-Signature-Settings: algorithm=HMAC_SHA256): the SDK validates it, our definition (sha1 only) refuses: %v", err)
	}
	proven(t, "twilio", bySDK, npmSource("twilio", "validateRequest/validateRequestWithBody"))
}

// --- Standard Webhooks ------------------------------------------------------

func testStandardWebhooksNPM(t *testing.T, d npmDriver) {
	s := StandardWebhooks("webhook", 5*time.Minute)
	checkDefinition(t, "standard-webhooks", s)
	key := swKey(t, swSecret)
	const otherSecret = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk="
	now := time.Unix(time.Now().Unix(), 0) // Webhook.verify compares with Date.now()
	ts := strconv.FormatInt(now.Unix(), 10)
	bodies := npmBodies(t, filepath.Join("standard-webhooks", "contact_created.json"))
	bodies = append(bodies, []byte{}, []byte("{\"name\":\"Zoë 🚀\",\"sig\":\"v1,AAAA\"}\n"))
	signAt := func(id string, body []byte, at time.Time) http.Header {
		h := http.Header{}
		h.Set("webhook-id", id)
		s.Sign(h, body, key[0], at)
		return h
	}

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		msg := "msg_" + strconv.Itoa(i) + "_2mV7dZ"
		h := signAt(msg, body, now)
		sig := h.Get("webhook-signature")
		c := npmCase{Op: "standardwebhooks.verify", Body: body, Key: swSecret, Signature: sig, Timestamp: ts, MsgID: msg}
		if len(body) > 0 && !json.Valid(body) {
			c.Option = "nojson" // verify would also JSON.parse it
		}
		with := func(name string, f func(*npmCase)) npmCase {
			x := c
			x.ID = id + " " + name
			f(&x)
			return x
		}
		stale := signAt(msg, body, now.Add(-6*time.Minute))
		future := signAt(msg, body, now.Add(6*time.Minute))
		cases = append(cases,
			with("ours", func(*npmCase) {}),
			with("ours rotating", func(x *npmCase) { x.Signature = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + sig }),
			with("changed body", func(x *npmCase) { x.Body = append([]byte("x"), body...) }),
			with("wrong secret", func(x *npmCase) { x.Key = otherSecret }),
			with("other id", func(x *npmCase) { x.MsgID = "msg_other" }),
			with("other timestamp", func(x *npmCase) { x.Timestamp = strconv.FormatInt(now.Unix()-1, 10) }),
			with("stale", func(x *npmCase) {
				x.Signature, x.Timestamp = stale.Get("webhook-signature"), stale.Get("webhook-timestamp")
			}),
			with("future", func(x *npmCase) {
				x.Signature, x.Timestamp = future.Get("webhook-signature"), future.Get("webhook-timestamp")
			}),
			npmCase{ID: id + " sdk sign", Op: "standardwebhooks.sign", Body: body, Key: swSecret, Timestamp: ts, MsgID: msg},
		)
		wantErr(t, id+" stale", s.Verify(stale, body, key, now), ErrTimestampExpired)
		wantErr(t, id+" future", s.Verify(future, body, key, now), ErrTimestampExpired)
	}
	// The spec's vector, through the npm library's signer.
	cases = append(cases, npmCase{ID: "vector", Op: "standardwebhooks.sign", Body: []byte(swPayload), Key: swSecret, Timestamp: strconv.Itoa(swTimestamp), MsgID: swMsgID})
	res := d.run(t, cases)

	if got := expectNPM(t, res, "vector", true).Signature; got != swExpected {
		t.Errorf("the npm library signs the spec vector as %q, want %q", got, swExpected)
	}
	for i, body := range bodies {
		id := fmt.Sprint(i)
		msg := "msg_" + strconv.Itoa(i) + "_2mV7dZ"
		expectNPM(t, res, id+" ours", true)
		expectNPM(t, res, id+" ours rotating", true)
		for _, c := range []string{"changed body", "wrong secret", "other id", "other timestamp", "stale", "future"} {
			expectNPM(t, res, id+" "+c, false)
		}
		// Refused for their age, not their signature.
		if r := res[id+" stale"]; !strings.Contains(r.Refusal, "too old") {
			t.Errorf("%s stale: verify said %q", id, r.Refusal)
		}
		if r := res[id+" future"]; !strings.Contains(r.Refusal, "too new") {
			t.Errorf("%s future: verify said %q", id, r.Refusal)
		}
		sdk := expectNPM(t, res, id+" sdk sign", true).Signature
		if want := signAt(msg, body, now).Get("webhook-signature"); sdk != want {
			t.Errorf("%s: Sign = %q, the library = %q", id, want, sdk)
		}
		h := http.Header{}
		h.Set("webhook-id", msg)
		h.Set("webhook-timestamp", ts)
		h.Set("webhook-signature", sdk)
		wantErr(t, id+" library signature", s.Verify(h, body, key, now), nil)
		wantErr(t, id+" library signature, changed body", s.Verify(h, append([]byte("x"), body...), key, now), ErrSignatureMismatch)
		wantErr(t, id+" library signature, wrong secret", s.Verify(h, body, swKey(t, otherSecret), now), ErrSignatureMismatch)
		wantErr(t, id+" library signature, 6 minutes later", s.Verify(h, body, key, now.Add(6*time.Minute)), ErrTimestampExpired)
		wantErr(t, id+" library signature, 6 minutes earlier", s.Verify(h, body, key, now.Add(-6*time.Minute)), ErrTimestampExpired)
	}
	proven(t, "standard-webhooks", bySDK, npmSource("standardwebhooks", "Webhook.verify/sign"))
}

// --- Box ---------------------------------------------------------------------

func testBoxNPM(t *testing.T, d npmDriver) {
	s := boxScheme()
	checkDefinition(t, "box", s)
	const primary, secondary = "SamplePrimaryKey4c1f", "SampleSecondaryKey9a2e"
	// validateMessage refuses a delivery timestamp after its own now, or
	// more than maxAge (600 s) before it.
	now := time.Now().Add(-2 * time.Second)
	bodies := npmBodies(t, filepath.Join("box", "file_uploaded.json"))
	signAt := func(body []byte, key string, at time.Time) (sig, ts string) {
		h := http.Header{}
		s.Sign(h, body, []byte(key), at)
		return h.Get(s.Header), h.Get(s.TimestampHeader)
	}
	// Box's own format: seconds and an offset (2020-01-01T10:00:00-08:00).
	boxTS := now.In(time.FixedZone("PST", -8*3600)).Format(time.RFC3339)

	var cases []npmCase
	for i, body := range bodies {
		id := fmt.Sprint(i)
		sig, ts := signAt(body, primary, now)
		c := npmCase{Op: "box.verify", Body: body, Key: primary, Signature: sig, Timestamp: ts}
		with := func(name string, f func(*npmCase)) npmCase {
			x := c
			x.ID = id + " " + name
			f(&x)
			return x
		}
		staleSig, staleTS := signAt(body, primary, now.Add(-11*time.Minute))
		futureSig, futureTS := signAt(body, primary, now.Add(11*time.Minute))
		cases = append(cases,
			with("ours", func(*npmCase) {}),
			with("ours, with a secondary key", func(x *npmCase) { x.Option = secondary }),
			with("changed body", func(x *npmCase) { x.Body = plusSpace(body) }),
			with("wrong key", func(x *npmCase) { x.Key = secondary }),
			with("other timestamp", func(x *npmCase) { x.Timestamp = s.FormatTime(now.Add(-time.Second)) }),
			with("stale", func(x *npmCase) { x.Signature, x.Timestamp = staleSig, staleTS }),
			with("future", func(x *npmCase) { x.Signature, x.Timestamp = futureSig, futureTS }),
			npmCase{ID: id + " sdk sign", Op: "box.sign", Body: body, Key: primary, Timestamp: ts},
			npmCase{ID: id + " sdk sign, Box's format", Op: "box.sign", Body: body, Key: primary, Timestamp: boxTS},
		)
		wantErr(t, id+" stale", s.Verify(http.Header{"Box-Signature-Primary": {staleSig}, "Box-Delivery-Timestamp": {staleTS}}, body, secrets(primary), now), ErrTimestampExpired)
		wantErr(t, id+" future", s.Verify(http.Header{"Box-Signature-Primary": {futureSig}, "Box-Delivery-Timestamp": {futureTS}}, body, secrets(primary), now), ErrTimestampExpired)
	}
	// Probes of what the definition may not cover.
	body := bodies[2] // non-ASCII
	sig, ts := signAt(body, primary, now)
	soonSig, soonTS := signAt(body, primary, now.Add(3*time.Minute))
	cases = append(cases,
		npmCase{ID: "escaped sdk sign", Op: "box.sign", Body: body, Key: primary, Timestamp: ts, Option: "escaped"},
		npmCase{ID: "other version", Op: "box.verify", Body: body, Key: primary, Signature: sig, Timestamp: ts, Headers: map[string]string{"box-signature-version": "2"}},
		npmCase{ID: "3 minutes ahead", Op: "box.verify", Body: body, Key: primary, Signature: soonSig, Timestamp: soonTS},
	)
	res := d.run(t, cases)

	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		expectNPM(t, res, id+" ours, with a secondary key", true)
		for _, c := range []string{"changed body", "wrong key", "other timestamp", "stale", "future"} {
			expectNPM(t, res, id+" "+c, false)
		}
		ours, ts := signAt(body, primary, now)
		for _, v := range []struct{ name, ts string }{{"sdk sign", ts}, {"sdk sign, Box's format", boxTS}} {
			sdk := expectNPM(t, res, id+" "+v.name, true).Signature
			if v.ts == ts && sdk != ours {
				t.Errorf("%s: Sign = %q, computeWebhookSignature = %q", id, ours, sdk)
			}
			h := http.Header{}
			h.Set(s.Header, sdk)
			h.Set(s.TimestampHeader, v.ts)
			wantErr(t, id+" "+v.name, s.Verify(h, body, secrets(secondary, primary), now), nil)
			wantErr(t, id+" "+v.name+", changed body", s.Verify(h, plusSpace(body), secrets(primary), now), ErrSignatureMismatch)
			wantErr(t, id+" "+v.name+", wrong key", s.Verify(h, body, secrets(secondary), now), ErrSignatureMismatch)
			wantErr(t, id+" "+v.name+", 11 minutes later", s.Verify(h, body, secrets(primary), now.Add(11*time.Minute)), ErrTimestampExpired)
		}
	}

	// Probes: logged, not asserted.
	escaped := expectNPM(t, res, "escaped sdk sign", true).Signature
	if err := s.Verify(http.Header{"Box-Signature-Primary": {escaped}, "Box-Delivery-Timestamp": {ts}}, body, secrets(primary), now); err != nil {
		differs(t, "box: validateMessage also accepts a signature over the body with U+007F..U+FFFF written as \\uXXXX and / as \\/ (computeWebhookSignature escapeBody); our definition refuses it: %v", err)
	}
	if r := expectNPM(t, res, "other version", false); !r.OK {
		if err := s.Verify(http.Header{"Box-Signature-Primary": {sig}, "Box-Delivery-Timestamp": {ts}}, body, secrets(primary), now); err == nil {
			differs(t, "box: validateMessage requires box-signature-version 1 and box-signature-algorithm HmacSHA256; our definition does not read them")
		}
	}
	if r := expectNPM(t, res, "3 minutes ahead", false); !r.OK {
		if err := s.Verify(http.Header{"Box-Signature-Primary": {soonSig}, "Box-Delivery-Timestamp": {soonTS}}, body, secrets(primary), now); err == nil {
			differs(t, "box: validateMessage refuses any timestamp after its now; our definition allows 10 minutes ahead")
		}
	}
	proven(t, "box", bySDK, npmSource("box-node-sdk", "WebhooksManager.validateMessage"))
}

// checkNodeKeySignatures checks a public-key SDK's answers: it accepted our
// signatures and refused the controls; and the signatures Node made with a
// key of its own (given back encoded as enc) pass our Verify, are refused
// for a changed body or another key, and outside the scheme's window.
func checkNodeKeySignatures(t *testing.T, s PublicKeySignature, res map[string]npmResult, bodies [][]byte, ts string, ours []byte, enc SecretEncoding, controls []string) {
	t.Helper()
	past := s.Tolerance + time.Minute
	for i, body := range bodies {
		id := fmt.Sprint(i)
		expectNPM(t, res, id+" ours", true)
		for _, c := range controls {
			expectNPM(t, res, id+c, false)
		}
		r := expectNPM(t, res, id+" node sign", true)
		keys, err := DecodeSecrets(enc, secrets(r.Key))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CheckKeys(keys); err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set(s.Header, r.Signature)
		h.Set(s.TimestampHeader, ts)
		wantErr(t, id+" node signature", s.Verify(h, body, [][]byte{ours, keys[0]}, testNow), nil)
		wantErr(t, id+" node signature, changed body", s.Verify(h, plusSpace(body), keys, testNow), ErrSignatureMismatch)
		wantErr(t, id+" node signature, other key", s.Verify(h, body, [][]byte{ours}, testNow), ErrSignatureMismatch)
		wantErr(t, id+" node signature, past the window", s.Verify(h, body, keys, testNow.Add(past)), ErrTimestampExpired)
		wantErr(t, id+" node signature, before the window", s.Verify(h, body, keys, testNow.Add(-past)), ErrTimestampExpired)
	}
}
