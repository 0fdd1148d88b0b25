package verify

// Fuzzing the header parsers. Arbitrary header values and bodies must never
// panic, must fail only with an exported sentinel error, and must never
// verify unless the header really carries the MAC of the body under one of
// the secrets (checked with an independent reference, not with the package's
// own parsing). Placeholders in the fuzzed value are replaced with real
// signatures so the fuzzer can reach the accepting path:
//
//	{now}  the current timestamp in the scheme's unit
//	{sig}  the MAC under the first secret (for TimestampedHMAC, over the
//	       first numeric t= value), in the scheme's encoding; {SIG} is
//	       upper-cased
//	{sig2} the same under the second secret
//
// Run: go test ./templates/runtime/verify -run X -fuzz FuzzHMACHeader -fuzztime 60s

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var fuzzSecrets = [][]byte{[]byte("fuzz-secret"), []byte("rotated-secret")}

// refMAC and refDecode are written against the standard library directly,
// not through the package's helpers.
func refMAC(alg Algorithm, secret []byte, msg string) []byte {
	var h func() hash.Hash
	switch alg {
	case SHA1:
		h = sha1.New
	case SHA256:
		h = sha256.New
	case SHA512:
		h = sha512.New
	}
	m := hmac.New(h, secret)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func refEncode(enc Encoding, b []byte) string {
	switch enc {
	case Base64:
		return base64.StdEncoding.EncodeToString(b)
	case Base64URL:
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return hex.EncodeToString(b)
}

func refDecode(enc Encoding, s string) ([]byte, bool) {
	var b []byte
	var err error
	switch enc {
	case Base64:
		b, err = base64.StdEncoding.DecodeString(s)
	case Base64URL:
		if b, err = base64.RawURLEncoding.DecodeString(s); err != nil {
			b, err = base64.URLEncoding.DecodeString(s)
		}
	default:
		b, err = hex.DecodeString(s)
	}
	return b, err == nil
}

func fuzzHMACSchemes() []HMAC {
	return []HMAC{
		githubScheme(),
		shopifyScheme(),
		genericScheme(SHA256, Hex),
		genericScheme(SHA512, Base64),
		genericScheme(SHA1, Base64URL),
		{Header: "X-Hub-Signature", Algorithm: SHA1, Encoding: Hex, Prefix: "sha1="},
	}
}

func FuzzHMACHeader(f *testing.F) {
	seeds := []string{
		"", " ", "=", "==", "sha256=", "sha256", "sha2", "sha256={sig}", "SHA256={sig}", "Sha256={SIG}",
		"sha256={sig2}", "  sha256={sig}\t", "sha256= {sig}", "sha256={sig} ", "sha256==",
		"sha256={sig}\nsha256=00", "garbage\nsha256={sig}", "\n", "\n\n{sig}",
		"{sig}", "{SIG}", "{sig}=", "{sig}==", "={sig}", "{sig}{sig}", "{sig2}",
		"sha256=0", "sha256=abc", "sha256=zz", "sha256=" + strings.Repeat("0", 64), "sha256=" + strings.Repeat("f", 63),
		"sha1={sig}", "sha512={sig}",
		"QQ", "QQ=", "QQ==", "QQ===", "Q===", "====", "Zm9v", "Zm9v\r\n", "Zm 9v", "-_-_", "+/+/",
		"é", "sha256=é", "\x00", "\xff\xfe", "sha256=\u0660\u0661", strings.Repeat("=", 1000),
		strings.Repeat("a", 4096),
	}
	for i, s := range seeds {
		f.Add(uint8(i), s, []byte(`{"id":1}`))
	}
	f.Add(uint8(0), "sha256={sig}", []byte{})
	f.Add(uint8(1), "{sig}", []byte("\x00\x01"))

	schemes := fuzzHMACSchemes()
	f.Fuzz(func(t *testing.T, cfg uint8, value string, body []byte) {
		s := schemes[int(cfg)%len(schemes)]
		macs := [][]byte{refMAC(s.Algorithm, fuzzSecrets[0], string(body)), refMAC(s.Algorithm, fuzzSecrets[1], string(body))}
		sig := refEncode(s.Encoding, macs[0])
		value = strings.ReplaceAll(value, "{sig2}", refEncode(s.Encoding, macs[1]))
		value = strings.ReplaceAll(value, "{SIG}", strings.ToUpper(sig))
		value = strings.ReplaceAll(value, "{sig}", sig)

		h := http.Header{}
		lines := strings.Split(value, "\n")
		for _, l := range lines {
			h.Add(s.Header, l)
		}
		err := s.Verify(h, body, fuzzSecrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("%+v %q: error %v is not a sentinel", s, value, err)
		}

		genuine, exact := false, false
		for _, l := range lines {
			v := strings.TrimSpace(l)
			if len(v) < len(s.Prefix) || !strings.EqualFold(v[:len(s.Prefix)], s.Prefix) {
				continue
			}
			rest := v[len(s.Prefix):]
			if b, ok := refDecode(s.Encoding, rest); ok {
				for _, m := range macs {
					if hmac.Equal(b, m) {
						genuine = true
					}
				}
			}
			if rest == refEncode(s.Encoding, macs[0]) || rest == refEncode(s.Encoding, macs[1]) {
				exact = true
			}
		}
		if err == nil && !genuine {
			t.Fatalf("%+v: header %q verified without a genuine MAC of the body", s, value)
		}
		if exact && err != nil {
			t.Fatalf("%+v: header %q carries the exact signature, but Verify = %v", s, value, err)
		}
	})
}

// refPairs splits a Stripe-style header as the format is specified: pairs
// separated by ",", surrounding space trimmed, key and value split at the
// first "=".
func refPairs(value string) (n int, ts []string, sigs []string) {
	pairs := strings.Split(value, ",")
	for _, p := range pairs {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = append(ts, v)
		case "v1":
			sigs = append(sigs, v)
		}
	}
	return len(pairs), ts, sigs
}

func FuzzTimestampedHMACHeader(f *testing.F) {
	many := func(n int) string { return strings.Repeat(",x=1", n) }
	seeds := []string{
		"", " ", "=", ",", ",,", "t=", "t", "v1=", "t=,v1=", "t={now}", "v1={sig}",
		"t={now},v1={sig}", "t={now},v1={SIG}", "t={now},v1={sig2}", "v1={sig},t={now}",
		" t={now} , v1={sig} ", "t={now}\t,\tv1={sig}", "t = {now},v1={sig}", "t={now} ,v1= {sig}",
		"t={now},v1=00,v1={sig}", "t={now},v1={sig},v1=zz", "t={now},v0={sig}", "t={now},v0={sig},v1={sig2}",
		"t={now},t={now},v1={sig}", "t=1,t={now},v1={sig}", "t={now},v1={sig},t=1",
		"t=99999999999999999999,v1={sig}", "t=9223372036854775807,v1={sig}", "t=-9223372036854775808,v1={sig}",
		"t=-1,v1={sig}", "t=-0,v1={sig}", "t=+{now},v1={sig}", "t=0{now},v1={sig}", "t=00,v1={sig}",
		"t=1099511627776,v1={sig}", "t=1099511627777,v1={sig}", "t=1e9,v1={sig}", "t=0x10,v1={sig}",
		"t={now},v1={sig}" + many(30), "t={now},v1={sig}" + many(31), "t={now},v1={sig}" + many(500),
		"t=١٧٠٠٠٠٠٠٠٠,v1={sig}", "t={now},v1=é", "t={now},v1=" + strings.Repeat("0", 63), "t={now},v1=" + strings.Repeat("0", 64),
		"t={now}=,v1={sig}", "t=={now},v1={sig}", "t={now},v1=={sig}", "T={now},V1={sig}", "t={now};v1={sig}",
		"\x00t={now},v1={sig}", strings.Repeat(",", 40), strings.Repeat("t=1,", 40),
	}
	for _, s := range seeds {
		f.Add(false, s, []byte(`{"id":"evt_1"}`))
		f.Add(true, s, []byte(`{"id":"evt_1"}`))
	}
	f.Add(false, "t={now},v1={sig}", []byte{})

	f.Fuzz(func(t *testing.T, ms bool, value string, body []byte) {
		s := stripeScheme()
		now := strconv.FormatInt(testNow.Unix(), 10)
		if ms {
			s.Unit = Milliseconds
			now = strconv.FormatInt(testNow.UnixMilli(), 10)
		}
		value = strings.ReplaceAll(value, "{now}", now)
		_, ts, _ := refPairs(value)
		signedTS := now // the first t= value that reads as a number, if any
		for _, v := range ts {
			if _, err := strconv.ParseInt(v, 10, 64); err == nil {
				signedTS = v
				break
			}
		}
		sig := hex.EncodeToString(refMAC(SHA256, fuzzSecrets[0], signedTS+"."+string(body)))
		value = strings.ReplaceAll(value, "{sig2}", hex.EncodeToString(refMAC(SHA256, fuzzSecrets[1], signedTS+"."+string(body))))
		value = strings.ReplaceAll(value, "{SIG}", strings.ToUpper(sig))
		value = strings.ReplaceAll(value, "{sig}", sig)

		err := s.Verify(header("Stripe-Signature", value), body, fuzzSecrets, testNow)
		if err != nil && !isSentinel(err) {
			t.Fatalf("%q: error %v is not a sentinel", value, err)
		}
		if value == "t="+now+",v1="+sig && err != nil {
			t.Fatalf("%q: exactly what Sign writes, but Verify = %v", value, err)
		}
		if err != nil {
			return
		}

		// It verified: the header must be well formed and carry a genuine,
		// fresh signature.
		n, ts, sigs := refPairs(value)
		if n > maxPairs {
			t.Fatalf("%q: verified with %d pairs (limit %d)", value, n, maxPairs)
		}
		if len(ts) != 1 {
			t.Fatalf("%q: verified with %d t= pairs, want exactly one (duplicate t is malformed)", value, len(ts))
		}
		num, perr := strconv.ParseInt(ts[0], 10, 64)
		if perr != nil || num < 0 {
			t.Fatalf("%q: verified with timestamp %q", value, ts[0])
		}
		at := time.Unix(num, 0)
		if ms {
			at = time.UnixMilli(num)
		}
		if d := testNow.Sub(at); d > s.Tolerance || d < -s.Tolerance {
			t.Fatalf("%q: verified with timestamp %v, %v from now", value, at, d)
		}
		genuine := false
		for _, v := range sigs {
			b, ok := refDecode(Hex, v)
			if !ok {
				continue
			}
			for _, sec := range fuzzSecrets {
				if hmac.Equal(b, refMAC(SHA256, sec, ts[0]+"."+string(body))) {
					genuine = true
				}
			}
		}
		if !genuine {
			t.Fatalf("%q: verified without a genuine v1 MAC over %q.body", value, ts[0])
		}
	})
}
