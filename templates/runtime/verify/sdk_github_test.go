package verify

// Conformance against go-github (github.com/google/go-github/v75/github):
// our GitHub Sign passes its ValidateSignature / ValidatePayloadFromBody /
// ValidatePayload, and the signatures it accepts (its own fixtures) pass our
// Verify.

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-github/v75/github"
)

// go-github ---------------------------------------------------------------

func TestOurGitHubSignPassesGoGitHub(t *testing.T) {
	s := githubScheme()
	secret := []byte("0123456789abcdef")
	for i, body := range stripeBodies {
		h := http.Header{}
		s.Sign(h, body, secret, testNow)
		sig := h.Get("X-Hub-Signature-256")
		if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
			t.Fatalf("Sign wrote %q", sig)
		}
		if err := github.ValidateSignature(sig, body, secret); err != nil {
			t.Errorf("body %d: go-github ValidateSignature = %v", i, err)
		}
		got, err := github.ValidatePayloadFromBody("application/json", bytes.NewReader(body), sig, secret)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("body %d: go-github ValidatePayloadFromBody = %d bytes, %v", i, len(got), err)
		}
		// Tampered: both refuse.
		tampered := append([]byte("x"), body...)
		if err := github.ValidateSignature(sig, tampered, secret); err == nil {
			t.Errorf("body %d: go-github accepts a tampered body", i)
		}
		wantErr(t, "tampered", s.Verify(h, tampered, [][]byte{secret}, testNow), ErrSignatureMismatch)
	}

	// Through an http.Request, as a server receives it.
	body := []byte(`{"action":"opened"}`)
	req, _ := http.NewRequest(http.MethodPost, "http://localhost/webhooks/github", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s.Sign(req.Header, body, secret, testNow)
	got, err := github.ValidatePayload(req, secret)
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("go-github ValidatePayload = %q, %v", got, err)
	}

	// A form-encoded delivery is signed over the raw form body; go-github
	// then extracts the payload parameter.
	form := []byte(url.Values{"payload": {`{"yo":true}`}}.Encode())
	h := http.Header{}
	s.Sign(h, form, secret, testNow)
	got, err = github.ValidatePayloadFromBody("application/x-www-form-urlencoded", bytes.NewReader(form), h.Get("X-Hub-Signature-256"), secret)
	if err != nil || string(got) != `{"yo":true}` {
		t.Errorf("form delivery: go-github = %q, %v", got, err)
	}
	proven(t, "github", bySDK, "github.com/google/go-github/v75/github ValidatePayload")
}

// goGitHubVectors are go-github's own fixtures (github/messages_test.go,
// TestValidatePayload and TestValidatePayload_FormPost in v75): the signatures
// go-github expects for a body under secret "0123456789abcdef".
var goGitHubVectors = []struct {
	header, prefix string
	alg            Algorithm
	body, sig      string
}{
	{"X-Hub-Signature", "sha1=", SHA1, `{"yo":true}`, "sha1=126f2c800419c60137ce748d7672e77b65cf16d6"},
	{"X-Hub-Signature-256", "sha256=", SHA256, `{"yo":true}`, "sha256=b1f8020f5b4cd42042f807dd939015c4a418bc1ff7f604dd55b0a19b5d953d9b"},
	{"X-Hub-Signature", "sha512=", SHA512, `{"yo":true}`, "sha512=8456767023c1195682e182a23b3f5d19150ecea598fde8cb85918f7281b16079471b1329f92b912c4d8bd7455cb159777db8f29608b20c7c87323ba65ae62e1f"},
	{"X-Hub-Signature", "sha1=", SHA1, "payload=%7B%22yo%22%3Atrue%7D", "sha1=3374ef144403e8035423b23b02e2c9d7a4c50368"},
}

func TestGoGitHubSignaturesVerify(t *testing.T) {
	secret := []byte("0123456789abcdef")
	for _, v := range goGitHubVectors {
		// go-github has no exported signer; its fixtures are what it accepts.
		if err := github.ValidateSignature(v.sig, []byte(v.body), secret); err != nil {
			t.Fatalf("go-github rejects its own fixture %s: %v", v.sig, err)
		}
		s := HMAC{Header: v.header, Algorithm: v.alg, Encoding: Hex, Prefix: v.prefix}
		wantErr(t, v.sig, s.Verify(header(v.header, v.sig), []byte(v.body), [][]byte{secret}, testNow), nil)
		h := http.Header{}
		s.Sign(h, []byte(v.body), secret, testNow)
		if got := h.Get(v.header); got != v.sig {
			t.Errorf("Sign = %q, go-github fixture %q", got, v.sig)
		}
		wantErr(t, v.sig+" tampered", s.Verify(header(v.header, v.sig), []byte(v.body+" "), [][]byte{secret}, testNow), ErrSignatureMismatch)
		wantErr(t, v.sig+" wrong secret", s.Verify(header(v.header, v.sig), []byte(v.body), secrets("0123456789abcdeF"), testNow), ErrSignatureMismatch)
	}
}

func TestLegacySHA1HeaderAgainstGoGitHub(t *testing.T) {
	s := HMAC{Header: "X-Hub-Signature", Algorithm: SHA1, Encoding: Hex, Prefix: "sha1="}
	secret := []byte("It's a Secret to Everybody")
	body := []byte(`{"zen":"Design for failure."}`)
	req, _ := http.NewRequest(http.MethodPost, "http://localhost/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	s.Sign(req.Header, body, secret, testNow)
	if req.Header.Get("X-Hub-Signature-256") != "" {
		t.Fatal("sha1 scheme wrote the sha256 header")
	}
	// go-github falls back to X-Hub-Signature when X-Hub-Signature-256 is absent.
	if _, err := github.ValidatePayload(req, secret); err != nil {
		t.Errorf("go-github ValidatePayload on our sha1 header = %v", err)
	}
	wantErr(t, "sha1 roundtrip", s.Verify(req.Header, body, [][]byte{secret}, testNow), nil)

	// Difference, documented: go-github picks the hash from the signature's own
	// prefix, so it takes a sha1 signature wherever it finds one. Our GitHub
	// scheme pins "sha256=" on X-Hub-Signature-256, so a sha1 value there (a
	// downgrade) is refused.
	sha1Sig := req.Header.Get("X-Hub-Signature")
	if github.ValidateSignature(sha1Sig, body, secret) != nil {
		t.Fatal("go-github rejects the sha1 signature")
	}
	wantErr(t, "sha1 value in sha256 header", githubScheme().Verify(header("X-Hub-Signature-256", sha1Sig), body, [][]byte{secret}, testNow), ErrMalformedSignature)

	// Difference, documented: go-github matches the prefix case-sensitively
	// ("SHA256=" is an unknown hash type there); we accept it case-insensitively.
	// The MAC is still required, so this leniency admits no forgery.
	h := http.Header{}
	githubScheme().Sign(h, body, secret, testNow)
	upper := "SHA256=" + strings.TrimPrefix(h.Get("X-Hub-Signature-256"), "sha256=")
	wantErr(t, "uppercase prefix", githubScheme().Verify(header("X-Hub-Signature-256", upper), body, [][]byte{secret}, testNow), nil)
	t.Logf("go-github on %q: %v", upper[:10]+"...", github.ValidateSignature(upper, body, secret))
}
