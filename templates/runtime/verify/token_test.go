package verify

import (
	"net/http"
	"testing"
)

func TestToken(t *testing.T) {
	s := Token{Header: "X-Gitlab-Token"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	sec := secrets("glpat-old", "s3cret token")
	h := http.Header{}
	s.Sign(h, nil, []byte("s3cret token"), testNow)
	if got := h.Get("X-Gitlab-Token"); got != "s3cret token" {
		t.Fatalf("Sign = %q", got)
	}
	for _, c := range []struct {
		name string
		h    http.Header
		want error
	}{
		{"current", h, nil},
		{"rotated", header("X-Gitlab-Token", "glpat-old"), nil},
		{"wrong", header("X-Gitlab-Token", "s3cret tokeN"), ErrSignatureMismatch},
		{"prefix of the secret", header("X-Gitlab-Token", "s3cret"), ErrSignatureMismatch},
		{"empty", header("X-Gitlab-Token", ""), ErrMissingSignature},
		{"absent", http.Header{}, ErrMissingSignature},
		{"twice", http.Header{"X-Gitlab-Token": {"s3cret token", "s3cret token"}}, ErrMalformedSignature},
	} {
		wantErr(t, c.name, s.Verify(c.h, []byte("body"), sec, testNow), c.want)
	}
	wantErr(t, "no secret", s.Verify(h, nil, nil, testNow), ErrNoSecret)

	bearer := Token{Header: "Authorization", Prefix: "Bearer "}
	wantErr(t, "bearer", bearer.Verify(header("Authorization", "bearer glpat-old"), nil, sec, testNow), nil)
	wantErr(t, "bearer missing prefix", bearer.Verify(header("Authorization", "glpat-old"), nil, sec, testNow), ErrMalformedSignature)
	if (Token{}).Validate() == nil {
		t.Error("a token scheme without a header validates")
	}
}

func TestBasicAuth(t *testing.T) {
	var s BasicAuth
	sec := secrets("postmark:correct horse")
	h := http.Header{}
	s.Sign(h, nil, sec[0], testNow)
	// The same header net/http's client writes for user:password in a URL.
	r, _ := http.NewRequest("POST", "https://postmark:correct%20horse@example.com/webhooks/postmark", nil)
	u := r.URL.User
	p, _ := u.Password()
	r.SetBasicAuth(u.Username(), p)
	if h.Get("Authorization") != r.Header.Get("Authorization") {
		t.Fatalf("Sign = %q, net/http = %q", h.Get("Authorization"), r.Header.Get("Authorization"))
	}
	for _, c := range []struct {
		name, value string
		want        error
	}{
		{"right", h.Get("Authorization"), nil},
		{"lower-case scheme", "basic " + h.Get("Authorization")[6:], nil},
		{"wrong password", "Basic cG9zdG1hcms6d3Jvbmc=", ErrSignatureMismatch},
		{"bearer", "Bearer abc", ErrMalformedSignature},
		{"not base64", "Basic !!!", ErrMalformedSignature},
		{"no colon", "Basic cG9zdG1hcms=", ErrMalformedSignature},
		{"empty", "", ErrMissingSignature},
	} {
		wantErr(t, c.name, s.Verify(header("Authorization", c.value), nil, sec, testNow), c.want)
	}
}
