package verify

// GitLab's X-Gitlab-Token (the secret token sent as is) against
// go-playground/webhooks' gitlab parser, which compares the token before it
// parses; it does not sign. A token covers no body, so the control is the
// secret, not a changed byte.

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	gitlabhook "github.com/go-playground/webhooks/v6/gitlab"
)

const (
	gitlabSecret = "glwht-secret-token"
	gitlabBody   = `{"object_kind":"push","event_name":"push","ref":"refs/heads/main","checkout_sha":"da1560886d4f094c3e6c9ef40349f7d38b5d27d7","project_id":15}`
)

func TestGitlabOurTokenPassesGoPlayground(t *testing.T) {
	s := definitionScheme(t, "gitlab")
	body := []byte(gitlabBody)
	h := http.Header{}
	s.Sign(h, body, []byte(gitlabSecret), testNow)
	if got := h.Get("X-Gitlab-Token"); got != gitlabSecret {
		t.Fatalf("Sign set X-Gitlab-Token = %q", got)
	}
	wantErr(t, "ours", s.Verify(h, body, secrets(gitlabSecret), testNow), nil)
	wantErr(t, "ours, wrong secret", s.Verify(h, body, secrets(gitlabSecret+"x"), testNow), ErrSignatureMismatch)
	wantErr(t, "ours, no token", s.Verify(http.Header{}, body, secrets(gitlabSecret), testNow), ErrMissingSignature)

	parse := func(h http.Header, secret string) (any, error) {
		hook, err := gitlabhook.New(gitlabhook.Options.Secret(secret))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/gitlab", bytes.NewReader(body))
		req.Header = h.Clone()
		req.Header.Set("X-Gitlab-Event", "Push Hook")
		return hook.Parse(req, gitlabhook.PushEvents)
	}
	payload, err := parse(h, gitlabSecret)
	if err != nil {
		t.Fatalf("go-playground gitlab Parse refuses our token: %v", err)
	}
	if p, ok := payload.(gitlabhook.PushEventPayload); !ok || p.CheckoutSHA != "da1560886d4f094c3e6c9ef40349f7d38b5d27d7" {
		t.Errorf("go-playground gitlab Parse payload = %#v", payload)
	}
	if _, err := parse(h, gitlabSecret+"x"); !errors.Is(err, gitlabhook.ErrGitLabTokenVerificationFailed) {
		t.Errorf("go-playground gitlab Parse, wrong secret = %v", err)
	}
	if _, err := parse(http.Header{}, gitlabSecret); !errors.Is(err, gitlabhook.ErrGitLabTokenVerificationFailed) {
		t.Errorf("go-playground gitlab Parse, no token = %v", err)
	}
	proven(t, "gitlab", bySDK, "github.com/go-playground/webhooks/v6@v6.4.0 gitlab.Webhook.Parse")
}
