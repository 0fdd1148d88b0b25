package verify

// Fuzzing the parsers of the newer schemes: the separate-headers layout
// (Slack, Standard Webhooks, Twitch), URL signatures (Square, Twilio's
// form parameters and body hash), tokens and basic auth, and public-key
// signatures. Each must never panic, fail only with a sentinel error, and
// never accept a request unless an independent reference says it carries
// a genuine signature. {sig} in a fuzzed value becomes the real one.
//
// Run: go test ./templates/runtime/verify -run X -fuzz FuzzSeparateHeaders -fuzztime 60s

import (
	"crypto/ed25519"
	"crypto/hmac"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

func fuzzSeparateSchemes() []TimestampedHMAC {
	twitch := TimestampedHMAC{
		Header: "Twitch-Eventsub-Message-Signature", Algorithm: SHA256, Encoding: Hex,
		TimestampHeader: "Twitch-Eventsub-Message-Timestamp", Prefix: "sha256=", IDHeader: "Twitch-Eventsub-Message-Id",
		SignedPayload: "{id}{timestamp}{body}", Unit: RFC3339, Tolerance: 10 * time.Minute,
	}
	return []TimestampedHMAC{slackScheme(), StandardWebhooks("webhook", 5*time.Minute), twitch}
}

// refFraming fills a framing template by plain string replacement.
func refFraming(tmpl, ts, id string, body []byte) string {
	return strings.NewReplacer("{timestamp}", ts, "{id}", id, "{body}", string(body)).Replace(tmpl)
}

func FuzzSeparateHeaders(f *testing.F) {
	for i, seed := range []struct{ sig, ts, id string }{
		{"v0={sig}", "{now}", ""}, {"v1,{sig}", "{now}", "msg_1"}, {"sha256={sig}", "{now}", "id-1"},
		{"v1,AAAA v1,{sig}", "{now}", "msg_1"}, {"v1a,xx v1,{sig}", "{now}", "m"}, {"v0=", "{now}", ""},
		{"{sig}", "{now}", ""}, {"v0={sig}", "", ""}, {"v0={sig}", "-1", ""}, {"v0={sig}", "99999999999999999999", ""},
		{"v1,{sig}", "{now}", ""}, {"sha256={sig}", "2019-11-16T10:11:12.634234626Z", "x"}, {"sha256={sig}", "2019-13-45T99:99:99Z", "x"},
		{strings.Repeat("v1,{sig} ", 40), "{now}", "m"}, {"v0={sig}\nv0=00", "{now}", ""}, {"V0={SIG}", "{now}", ""},
	} {
		f.Add(uint8(i), seed.sig, seed.ts, seed.id, []byte(`{"type":"x"}`))
	}
	schemes := fuzzSeparateSchemes()
	f.Fuzz(func(t *testing.T, cfg uint8, sigValue, tsValue, id string, body []byte) {
		s := schemes[int(cfg)%len(schemes)]
		tsValue = strings.ReplaceAll(tsValue, "{now}", s.FormatTime(testNow))
		ref := refMAC(s.Algorithm, fuzzSecrets[0], refFraming(s.SignedPayload, tsValue, id, body))
		sig := refEncode(s.Encoding, ref)
		sigValue = strings.ReplaceAll(strings.ReplaceAll(sigValue, "{SIG}", strings.ToUpper(sig)), "{sig}", sig)
		h := http.Header{}
		for _, l := range strings.Split(sigValue, "\n") {
			h.Add(s.Header, l)
		}
		h.Set(s.TimestampHeader, tsValue)
		if s.IDHeader != "" && id != "" {
			h.Set(s.IDHeader, id)
		}
		err := s.Verify(h, body, fuzzSecrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("%q: error %v is not a sentinel", sigValue, err)
		}
		if err != nil {
			return
		}
		// Accepted: some entry must be the genuine MAC under a secret, over
		// the framing of the headers as sent.
		genuine := false
		for _, secret := range fuzzSecrets {
			want := refMAC(s.Algorithm, secret, refFraming(s.SignedPayload, strings.TrimSpace(tsValue), h.Get(s.IDHeader), body))
			for _, l := range strings.Split(sigValue, "\n") {
				for _, e := range strings.Fields(l) { // a superset of the entries Verify reads
					if len(e) >= len(s.Prefix) && strings.EqualFold(e[:len(s.Prefix)], s.Prefix) {
						if b, ok := refDecode(s.Encoding, e[len(s.Prefix):]); ok && hmac.Equal(b, want) {
							genuine = true
						}
					}
				}
			}
		}
		if !genuine {
			t.Fatalf("%+v: %q with timestamp %q id %q verified without a genuine MAC", s, sigValue, tsValue, id)
		}
	})
}

// refParams is Twilio's documented parameter string, written independently
// of formParams.
func refParams(body []byte) string {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	seen := map[string]bool{}
	var pairs []string
	for k, vs := range values {
		for _, v := range vs {
			if !seen[k+"\x00"+v] { // a value repeated counts once
				seen[k+"\x00"+v] = true
				pairs = append(pairs, k+"\x00"+v)
			}
		}
	}
	sort.Strings(pairs)
	return strings.ReplaceAll(strings.Join(pairs, ""), "\x00", "")
}

func FuzzURLSignature(f *testing.F) {
	for i, seed := range []struct{ u, sig, body string }{
		{"https://h.example/webhooks/square", "{sig}", `{"a":1}`},
		{"https://h.example/webhooks/twilio?x=1", "{sig}", "From=%2B1&Body=hi"},
		{"https://h.example:443/webhooks/twilio", "{sig}", "A=1&A=2&B="},
		{"https://h.example/webhooks/twilio?bodySHA256=00", "{sig}", `{"a":1}`},
		{"http://[::1]:8080/x", "{sig}", "%zz"}, {"::::", "{sig}", ""}, {"https://h/x", "", ""}, {"https://h/x", "!!", ""},
	} {
		f.Add(uint8(i), seed.u, seed.sig, []byte(seed.body))
	}
	square := URLHMAC{Header: "X-Square-Hmacsha256-Signature", Algorithm: SHA256, Encoding: Base64, SignedPayload: "{url}{body}"}
	twilio := URLHMAC{Header: "X-Twilio-Signature", Algorithm: SHA1, Encoding: Base64, SignedPayload: "{url}{params}", EitherPort: true, BodyHashParam: "bodySHA256"}
	f.Fuzz(func(t *testing.T, cfg uint8, rawURL, sigValue string, body []byte) {
		s := square
		if cfg%2 == 1 {
			s = twilio
		}
		msg := func(u string) string {
			if s.SignedPayload == "{url}{body}" {
				return u + string(body)
			}
			if p, err := url.Parse(u); err == nil && p.Query().Has("bodySHA256") {
				return u
			}
			return u + refParams(body)
		}
		sigValue = strings.ReplaceAll(sigValue, "{sig}", refEncode(s.Encoding, refMAC(s.Algorithm, fuzzSecrets[0], msg(rawURL))))
		h := http.Header{}
		h.Set(s.Header, sigValue)
		err := s.VerifyRequest(Request{Method: http.MethodPost, URL: rawURL}, h, body, fuzzSecrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("error %v is not a sentinel", err)
		}
		if err != nil {
			return
		}
		b, ok := refDecode(s.Encoding, strings.TrimSpace(sigValue))
		genuine := false
		for _, u := range portVariants(rawURL) {
			for _, secret := range fuzzSecrets {
				genuine = genuine || (ok && hmac.Equal(b, refMAC(s.Algorithm, secret, msg(u))))
			}
		}
		if !genuine {
			t.Fatalf("%+v: %q for %q verified without a genuine MAC", s, sigValue, rawURL)
		}
	})
}

func FuzzTokenAndBasicAuth(f *testing.F) {
	for _, v := range []string{"", "fuzz-secret", "Bearer fuzz-secret", "bearer fuzz-secret", "Basic Zm9vOmJhcg==", "Basic ", "Basic !!", "basic dTpw", "fuzz-secret\x00"} {
		f.Add(v)
	}
	token := Token{Header: "Authorization", Prefix: "Bearer "}
	secrets := [][]byte{[]byte("fuzz-secret"), []byte("user:pass")}
	f.Fuzz(func(t *testing.T, value string) {
		h := http.Header{"Authorization": {value}}
		err := token.Verify(h, nil, secrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("token: %v is not a sentinel", err)
		}
		if err == nil && !(strings.EqualFold(value[:min(7, len(value))], "Bearer ") && (value[7:] == "fuzz-secret" || value[7:] == "user:pass")) {
			t.Fatalf("token %q accepted", value)
		}
		err = BasicAuth{}.Verify(h, nil, secrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("basic: %v is not a sentinel", err)
		}
		if err == nil {
			_, enc, _ := strings.Cut(value, " ")
			dec, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
			if derr != nil || (string(dec) != "fuzz-secret" && string(dec) != "user:pass") {
				t.Fatalf("basic %q accepted", value)
			}
		}
	})
}

func FuzzPublicKeyHeaders(f *testing.F) {
	seed := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := seed.Public().(ed25519.PublicKey)
	for _, v := range []string{"{sig}", "", "00", strings.Repeat("00", 64), "zz", "{sig}{sig}"} {
		f.Add(v, "{now}", []byte(`{"type":0}`))
	}
	s := discordScheme()
	f.Fuzz(func(t *testing.T, sigValue, ts string, body []byte) {
		ts = strings.ReplaceAll(ts, "{now}", s.layout().FormatTime(testNow))
		sig := refEncode(Hex, ed25519.Sign(seed, append([]byte(ts), body...)))
		sigValue = strings.ReplaceAll(sigValue, "{sig}", sig)
		h := http.Header{}
		h.Set(s.Header, sigValue)
		h.Set(s.TimestampHeader, ts)
		err := s.Verify(h, body, [][]byte{pub}, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("%v is not a sentinel", err)
		}
		if err == nil {
			b, ok := refDecode(Hex, strings.TrimSpace(sigValue))
			if !ok || !ed25519.Verify(pub, append([]byte(strings.TrimSpace(ts)), body...), b) {
				t.Fatalf("%q at %q verified without a genuine signature", sigValue, ts)
			}
		}
	})
}
