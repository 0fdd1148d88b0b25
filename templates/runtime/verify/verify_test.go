package verify

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The schemes exactly as the generator configures them from providers/*.json.

func stripeScheme() TimestampedHMAC {
	return TimestampedHMAC{
		Header:        "Stripe-Signature",
		Algorithm:     SHA256,
		Encoding:      Hex,
		PairSeparator: ",",
		TimestampKey:  "t",
		SignatureKey:  "v1",
		SignedPayload: "{timestamp}.{body}",
		Unit:          Seconds,
		Tolerance:     300 * time.Second,
	}
}

func githubScheme() HMAC {
	return HMAC{Header: "X-Hub-Signature-256", Algorithm: SHA256, Encoding: Hex, Prefix: "sha256="}
}

func shopifyScheme() HMAC {
	return HMAC{Header: "X-Shopify-Hmac-Sha256", Algorithm: SHA256, Encoding: Base64}
}

func genericScheme(a Algorithm, e Encoding) HMAC {
	return HMAC{Header: "X-Webhook-Signature", Algorithm: a, Encoding: e}
}

// testNow is a whole second, so a seconds-unit Sign loses nothing.
var testNow = time.Unix(1_700_000_000, 0)

func header(name, value string) http.Header {
	h := http.Header{}
	h.Set(name, value)
	return h
}

func secrets(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, v := range s {
		out[i] = []byte(v)
	}
	return out
}

var sentinels = []error{ErrMissingSignature, ErrMalformedSignature, ErrSignatureMismatch, ErrTimestampExpired, ErrNoSecret}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if want == nil {
		if got != nil {
			t.Errorf("%s: Verify = %v, want nil", what, got)
		}
		return
	}
	if !errors.Is(got, want) {
		t.Errorf("%s: Verify = %v, want %v", what, got, want)
	}
}

// signedAt returns the Stripe-style header our own Sign writes at ts.
func signedAt(s TimestampedHMAC, body []byte, secret string, ts time.Time) http.Header {
	h := http.Header{}
	s.Sign(h, body, []byte(secret), ts)
	return h
}

func TestTimestampedHMACToleranceBoundary(t *testing.T) {
	s := stripeScheme()
	body := []byte(`{"id":"evt_1"}`)
	for _, c := range []struct {
		offset time.Duration // signing time relative to now
		want   error
	}{
		{0, nil},
		{-300 * time.Second, nil},
		{-301 * time.Second, ErrTimestampExpired},
		{+300 * time.Second, nil},
		{+301 * time.Second, ErrTimestampExpired},
		{-24 * time.Hour, ErrTimestampExpired},
		{+24 * time.Hour, ErrTimestampExpired},
	} {
		h := signedAt(s, body, "whsec_a", testNow.Add(c.offset))
		wantErr(t, "offset "+c.offset.String(), s.Verify(h, body, secrets("whsec_a"), testNow), c.want)
	}
	// A second-resolution timestamp is truncated: signed 300.9 s before now
	// it reads as 301 s old.
	h := signedAt(s, body, "whsec_a", testNow.Add(-300*time.Second-900*time.Millisecond))
	wantErr(t, "300.9s old", s.Verify(h, body, secrets("whsec_a"), testNow), ErrTimestampExpired)
	// A stale but authentic delivery is told apart from a forged one.
	h = signedAt(s, body, "whsec_a", testNow.Add(-time.Hour))
	wantErr(t, "stale, wrong secret", s.Verify(h, body, secrets("whsec_b"), testNow), ErrSignatureMismatch)
}

func TestTimestampedHMACMilliseconds(t *testing.T) {
	s := stripeScheme()
	s.Unit = Milliseconds
	s.Tolerance = 5 * time.Second
	body := []byte("ms body")
	now := time.UnixMilli(1_700_000_000_123)

	h := signedAt(s, body, "k", now)
	want := "t=1700000000123,v1=" + hex.EncodeToString(mac(sha256.New, []byte("k"), []byte("1700000000123.ms body")))
	if got := h.Get("Stripe-Signature"); got != want {
		t.Fatalf("Sign (ms) = %q, want %q", got, want)
	}
	for _, c := range []struct {
		offset time.Duration
		want   error
	}{
		{0, nil},
		{-5000 * time.Millisecond, nil},
		{-5001 * time.Millisecond, ErrTimestampExpired},
		{+5000 * time.Millisecond, nil},
		{+5001 * time.Millisecond, ErrTimestampExpired},
	} {
		h := signedAt(s, body, "k", now.Add(c.offset))
		wantErr(t, "ms offset "+c.offset.String(), s.Verify(h, body, secrets("k"), now), c.want)
	}

	// A millisecond header read as seconds is beyond any real date.
	sec := stripeScheme()
	wantErr(t, "ms header, seconds scheme", sec.Verify(h, body, secrets("k"), now), ErrMalformedSignature)
	// A seconds header read as milliseconds lands in January 1970.
	hs := signedAt(sec, body, "k", testNow)
	wantErr(t, "seconds header, ms scheme", s.Verify(hs, body, secrets("k"), testNow), ErrTimestampExpired)
}

func TestTimestampedHMACRotation(t *testing.T) {
	s := stripeScheme()
	body := []byte(`{"rotate":true}`)
	h := signedAt(s, body, "whsec_new", testNow)
	wantErr(t, "second secret matches", s.Verify(h, body, secrets("whsec_old", "whsec_new"), testNow), nil)
	wantErr(t, "first secret matches", s.Verify(h, body, secrets("whsec_new", "whsec_old"), testNow), nil)
	wantErr(t, "no secret matches", s.Verify(h, body, secrets("whsec_old", "whsec_other"), testNow), ErrSignatureMismatch)

	// The sender's rotation: two v1 entries, only the second one ours.
	ts := strconv.FormatInt(testNow.Unix(), 10)
	good := hex.EncodeToString(mac(sha256.New, []byte("whsec_new"), []byte(ts+"."+string(body))))
	bad := hex.EncodeToString(mac(sha256.New, []byte("whsec_gone"), []byte(ts+"."+string(body))))
	h = header("Stripe-Signature", "t="+ts+",v1="+bad+",v1="+good)
	wantErr(t, "second v1 valid", s.Verify(h, body, secrets("whsec_new"), testNow), nil)
	h = header("Stripe-Signature", "t="+ts+",v1="+bad+",v1="+bad)
	wantErr(t, "no v1 valid", s.Verify(h, body, secrets("whsec_new"), testNow), ErrSignatureMismatch)
}

func TestTimestampedHMACMalformedHeaders(t *testing.T) {
	s := stripeScheme()
	body := []byte("b")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	sig := hex.EncodeToString(mac(sha256.New, []byte("k"), []byte(ts+".b")))
	valid := "t=" + ts + ",v1=" + sig
	wantErr(t, "valid", s.Verify(header("Stripe-Signature", valid), body, secrets("k"), testNow), nil)
	wantErr(t, "spaces around pairs", s.Verify(header("Stripe-Signature", " t="+ts+" , v1="+sig+" "), body, secrets("k"), testNow), nil)

	junk := func(n int) string { return strings.Repeat(",x=1", n) }
	for _, c := range []struct {
		name, value string
		want        error
	}{
		{"empty", "", ErrMissingSignature},
		{"duplicate t, same value", "t=" + ts + ",t=" + ts + ",v1=" + sig, ErrMalformedSignature},
		{"duplicate t, other value", "t=" + ts + ",v1=" + sig + ",t=1", ErrMalformedSignature},
		{"30 extra pairs (32 in all)", valid + junk(30), nil},
		{"31 extra pairs (33 in all)", valid + junk(31), ErrMalformedSignature},
		{"33 separators only", strings.Repeat(",", 32), ErrMalformedSignature},
		{"no timestamp", "v1=" + sig, ErrMalformedSignature},
		{"no signature", "t=" + ts, ErrMalformedSignature},
		{"empty signature", "t=" + ts + ",v1=", ErrMalformedSignature},
		{"v0 only", "t=" + ts + ",v0=" + sig, ErrMalformedSignature},
		{"odd-length hex", "t=" + ts + ",v1=" + sig[:63], ErrMalformedSignature},
		{"non-hex", "t=" + ts + ",v1=zz", ErrMalformedSignature},
		{"negative timestamp", "t=-" + ts + ",v1=" + sig, ErrMalformedSignature},
		{"non-numeric timestamp", "t=abc,v1=" + sig, ErrMalformedSignature},
		{"huge timestamp", "t=99999999999999999999,v1=" + sig, ErrMalformedSignature},
		{"timestamp beyond 2^40", "t=" + strconv.FormatInt(1<<40+1, 10) + ",v1=" + sig, ErrMalformedSignature},
		{"space inside value", "t= " + ts + ",v1=" + sig, ErrMalformedSignature},
		{"key case differs", "T=" + ts + ",V1=" + sig, ErrMalformedSignature},
		{"semicolon separated", "t=" + ts + ";v1=" + sig, ErrMalformedSignature},
		{"signature truncated", "t=" + ts + ",v1=" + sig[:62], ErrSignatureMismatch},
		{"signature over other timestamp", "t=" + strconv.FormatInt(testNow.Unix()+1, 10) + ",v1=" + sig, ErrSignatureMismatch},
		{"unknown pairs ignored", "foo=bar,t=" + ts + ",v0=00,v1=" + sig + ",=", nil},
		{"uppercase hex", "t=" + ts + ",v1=" + strings.ToUpper(sig), nil},
	} {
		wantErr(t, c.name, s.Verify(header("Stripe-Signature", c.value), body, secrets("k"), testNow), c.want)
	}
	// No header at all.
	wantErr(t, "absent", s.Verify(http.Header{}, body, secrets("k"), testNow), ErrMissingSignature)
}

func TestTimestampedHMACSHA512AndFraming(t *testing.T) {
	s := TimestampedHMAC{
		Header: "X-Sig", Algorithm: SHA512, Encoding: Base64, PairSeparator: ";",
		TimestampKey: "ts", SignatureKey: "sig", SignedPayload: "v2:{timestamp}:{nonce}:{body}",
		Unit: Seconds, Tolerance: time.Minute,
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	body := []byte("payload")
	h := signedAt(s, body, "sec", testNow)
	// Unknown placeholders are literal text.
	want := "ts=1700000000;sig=" + base64.StdEncoding.EncodeToString(mac(sha512.New, []byte("sec"), []byte("v2:1700000000:{nonce}:payload")))
	if got := h.Get("X-Sig"); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	wantErr(t, "sha512 roundtrip", s.Verify(h, body, secrets("sec"), testNow), nil)
	wantErr(t, "sha512 tampered", s.Verify(h, []byte("payloaD"), secrets("sec"), testNow), ErrSignatureMismatch)
}

func TestHMACAlgorithms(t *testing.T) {
	body := []byte("The quick brown fox jumps over the lazy dog")
	for _, c := range []struct {
		alg  Algorithm
		size int
	}{{SHA1, 20}, {SHA256, 32}, {SHA512, 64}} {
		for _, enc := range []Encoding{Hex, Base64, Base64URL} {
			s := genericScheme(c.alg, enc)
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			s.Sign(h, body, []byte("key"), testNow)
			raw, err := enc.decode(h.Get(s.Header))
			if err != nil || len(raw) != c.size {
				t.Errorf("%s/%s: signature decodes to %d bytes (%v), want %d", c.alg, enc, len(raw), err, c.size)
			}
			name := string(c.alg) + "/" + string(enc)
			wantErr(t, name, s.Verify(h, body, secrets("key"), testNow), nil)
			wantErr(t, name+" tampered", s.Verify(h, append([]byte("x"), body...), secrets("key"), testNow), ErrSignatureMismatch)
			// A signature under another algorithm never passes.
			other := genericScheme(SHA256, enc)
			if c.alg == SHA256 {
				other.Algorithm = SHA512
			}
			if err := other.Verify(h, body, secrets("key"), testNow); err == nil {
				t.Errorf("%s: a %s signature verified as %s", name, c.alg, other.Algorithm)
			}
		}
	}
}

func TestHMACBase64URLPadding(t *testing.T) {
	s := genericScheme(SHA256, Base64URL)
	// Find a body whose MAC's standard base64 has '+' or '/', so the two
	// alphabets differ.
	var body, sum []byte
	for i := 0; ; i++ {
		body = []byte("body " + strconv.Itoa(i))
		sum = mac(sha256.New, []byte("k"), body)
		if strings.ContainsAny(base64.StdEncoding.EncodeToString(sum), "+/") {
			break
		}
	}
	h := http.Header{}
	s.Sign(h, body, []byte("k"), testNow)
	if got, want := h.Get(s.Header), base64.RawURLEncoding.EncodeToString(sum); got != want {
		t.Fatalf("Sign = %q, want unpadded base64url %q", got, want)
	}
	for _, c := range []struct {
		name, value string
		want        error
	}{
		{"unpadded", base64.RawURLEncoding.EncodeToString(sum), nil},
		{"padded", base64.URLEncoding.EncodeToString(sum), nil},
		{"standard alphabet", base64.StdEncoding.EncodeToString(sum), ErrMalformedSignature},
		{"over-padded", base64.URLEncoding.EncodeToString(sum) + "=", ErrMalformedSignature},
		{"truncated", base64.RawURLEncoding.EncodeToString(sum)[:40], ErrSignatureMismatch},
	} {
		wantErr(t, "base64url "+c.name, s.Verify(header(s.Header, c.value), body, secrets("k"), testNow), c.want)
	}

	// Standard base64 (Shopify) is strict: padded only, standard alphabet.
	sh := shopifyScheme()
	for _, c := range []struct {
		name, value string
		want        error
	}{
		{"padded", base64.StdEncoding.EncodeToString(sum), nil},
		{"unpadded", base64.RawStdEncoding.EncodeToString(sum), ErrMalformedSignature},
		{"url alphabet", base64.URLEncoding.EncodeToString(sum), ErrMalformedSignature},
	} {
		wantErr(t, "base64 "+c.name, sh.Verify(header(sh.Header, c.value), body, secrets("k"), testNow), c.want)
	}
}

func TestHMACPrefix(t *testing.T) {
	s := githubScheme()
	body := []byte(`{"zen":"Keep it logically awesome."}`)
	sig := hex.EncodeToString(mac(sha256.New, []byte("s"), body))
	for _, c := range []struct {
		name, value string
		want        error
	}{
		{"lowercase", "sha256=" + sig, nil},
		{"uppercase prefix", "SHA256=" + sig, nil},
		{"mixed case and hex", "Sha256=" + strings.ToUpper(sig), nil},
		{"surrounding space", "  sha256=" + sig + " ", nil},
		{"no prefix", sig, ErrMalformedSignature},
		{"other prefix", "sha1=" + sig, ErrMalformedSignature},
		{"prefix only", "sha256=", ErrMalformedSignature},
		{"short value", "sha2", ErrMalformedSignature},
		{"odd-length hex", "sha256=" + sig[:63], ErrMalformedSignature},
		{"space after prefix", "sha256= " + sig, ErrMalformedSignature},
		{"wrong MAC", "sha256=" + strings.Repeat("00", 32), ErrSignatureMismatch},
	} {
		wantErr(t, c.name, s.Verify(header(s.Header, c.value), body, secrets("s"), testNow), c.want)
	}
	// Several header lines: one valid one is enough; none valid is a mismatch.
	h := http.Header{}
	h.Add(s.Header, "sha256="+strings.Repeat("ab", 32))
	h.Add(s.Header, "sha256="+sig)
	wantErr(t, "second header line valid", s.Verify(h, body, secrets("s"), testNow), nil)
	h = http.Header{}
	h.Add(s.Header, "garbage")
	h.Add(s.Header, "sha256="+strings.Repeat("ab", 32))
	wantErr(t, "no header line valid", s.Verify(h, body, secrets("s"), testNow), ErrSignatureMismatch)
}

func TestHMACRotation(t *testing.T) {
	for _, s := range []HMAC{githubScheme(), shopifyScheme(), genericScheme(SHA512, Hex)} {
		body := []byte("rotate me")
		h := http.Header{}
		s.Sign(h, body, []byte("new"), testNow)
		wantErr(t, s.Header+" second secret", s.Verify(h, body, secrets("old", "new"), testNow), nil)
		wantErr(t, s.Header+" neither", s.Verify(h, body, secrets("old", "older"), testNow), ErrSignatureMismatch)
	}
}

func TestMissingSignatureAndNoSecret(t *testing.T) {
	body := []byte("x")
	schemes := []Scheme{stripeScheme(), githubScheme(), shopifyScheme(), genericScheme(SHA512, Base64)}
	for _, s := range schemes {
		// A correctly signed request still fails without a configured secret.
		h := http.Header{}
		s.Sign(h, body, []byte("k"), testNow)
		wantErr(t, "nil secrets", s.Verify(h, body, nil, testNow), ErrNoSecret)
		wantErr(t, "empty secrets", s.Verify(h, body, [][]byte{}, testNow), ErrNoSecret)
		wantErr(t, "no secret, no header", s.Verify(http.Header{}, body, nil, testNow), ErrNoSecret)
		wantErr(t, "no header", s.Verify(http.Header{}, body, secrets("k"), testNow), ErrMissingSignature)
		var name string
		for k := range h {
			name = k
		}
		wantErr(t, "empty header", s.Verify(http.Header{name: {""}}, body, secrets("k"), testNow), ErrMissingSignature)
	}
}

// TestEveryErrorIsASentinel feeds each configured scheme a spread of bad
// requests: every failure must be one of the exported errors, so the
// receiver can classify it.
func TestEveryErrorIsASentinel(t *testing.T) {
	values := []string{
		"", " ", "=", ",", ",,,", "t=", "t=,v1=", "v1=", "sha256=", "sha256=zz", "SHA256=00",
		"t=1,t=2", "t=-1,v1=00", "t=1e9,v1=00", "t=9223372036854775808,v1=00",
		"t=1700000000,v1=00", "t=1700000000,v1=" + strings.Repeat("0", 64), "===", "QQ", "QQ==", "QQ=",
		"\x00", "é", "t=١٧٠٠٠٠٠٠٠٠,v1=00", strings.Repeat("x=1,", 40),
	}
	schemes := []Scheme{
		stripeScheme(), githubScheme(), shopifyScheme(),
		genericScheme(SHA256, Hex), genericScheme(SHA512, Base64), genericScheme(SHA1, Base64URL),
	}
	names := []string{"Stripe-Signature", "X-Hub-Signature-256", "X-Shopify-Hmac-Sha256", "X-Webhook-Signature", "X-Webhook-Signature", "X-Webhook-Signature"}
	n := 0
	for i, s := range schemes {
		for _, v := range values {
			for _, sec := range [][][]byte{nil, secrets("k"), secrets("k", "j")} {
				err := s.Verify(header(names[i], v), []byte("body"), sec, testNow)
				if err == nil {
					t.Errorf("%T %q verified", s, v)
					continue
				}
				n++
				if !isSentinel(err) {
					t.Errorf("%T %q: error %v is not an exported sentinel", s, v, err)
				}
			}
		}
		// A stale request too.
		h := http.Header{}
		s.Sign(h, []byte("body"), []byte("k"), testNow.Add(-time.Hour))
		if err := s.Verify(h, []byte("body"), secrets("k"), testNow); err != nil && !isSentinel(err) {
			t.Errorf("%T stale: %v is not a sentinel", s, err)
		}
	}
	if n == 0 {
		t.Fatal("no errors checked")
	}
}

func TestValidate(t *testing.T) {
	for _, s := range []interface{ Validate() error }{
		stripeScheme(), githubScheme(), shopifyScheme(), genericScheme(SHA512, Base64),
	} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: Validate = %v", s, err)
		}
	}
	bad := []interface{ Validate() error }{
		HMAC{Header: "X", Algorithm: "md5", Encoding: Hex},
		HMAC{Header: "X", Algorithm: SHA256, Encoding: "base32"},
		HMAC{Header: "", Algorithm: SHA256, Encoding: Hex},
		func() TimestampedHMAC { s := stripeScheme(); s.Tolerance = 0; return s }(),
		func() TimestampedHMAC { s := stripeScheme(); s.SignedPayload = "{timestamp}"; return s }(),
		func() TimestampedHMAC { s := stripeScheme(); s.PairSeparator = ""; return s }(),
		func() TimestampedHMAC { s := stripeScheme(); s.Algorithm = "sha3"; return s }(),
	}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%+v: Validate = nil, want an error", s)
		}
	}
}

func TestSignIsDeterministicAndBodyExact(t *testing.T) {
	// The raw bytes are signed: a re-serialised body (one space) must fail.
	s := githubScheme()
	h := http.Header{}
	s.Sign(h, []byte(`{"a":1}`), []byte("k"), testNow)
	h2 := http.Header{}
	s.Sign(h2, []byte(`{"a":1}`), []byte("k"), testNow.Add(time.Hour))
	if h.Get(s.Header) != h2.Get(s.Header) {
		t.Error("HMAC Sign depends on the time")
	}
	wantErr(t, "reserialised", s.Verify(h, []byte(`{"a": 1}`), secrets("k"), testNow), ErrSignatureMismatch)
	big := bytes.Repeat([]byte{0, 0xff, '\n'}, 1<<18)
	h = http.Header{}
	s.Sign(h, big, []byte("k"), testNow)
	wantErr(t, "binary body", s.Verify(h, big, secrets("k"), testNow), nil)
}
