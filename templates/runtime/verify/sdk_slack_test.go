package verify

// Slack's scheme (also Zoom's, with other header names) against Slack's own
// documented example and slack-go's SecretsVerifier. slack-go has no signer,
// so the SDK-signs direction is covered by the documented vector, which
// api.slack.com/authentication/verifying-requests-from-slack publishes and
// slackapi/python-slack-sdk tests/signature/test_signature_verifier.py pins.

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

const (
	slackSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	slackTimestamp = "1531420618"
	slackBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	slackSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func slackScheme() TimestampedHMAC {
	return TimestampedHMAC{
		Header: "X-Slack-Signature", Algorithm: SHA256, Encoding: Hex,
		TimestampHeader: "X-Slack-Request-Timestamp", Prefix: "v0=",
		SignedPayload: "v0:{timestamp}:{body}", Unit: Seconds, Tolerance: 5 * time.Minute,
	}
}

func slackHeaders(ts, sig string) http.Header {
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sig)
	return h
}

func TestSlackDocumentedExample(t *testing.T) {
	s := slackScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.ParseInt(slackTimestamp, 10, 64)
	at := time.Unix(n, 0)
	body := []byte(slackBody)
	h := slackHeaders(slackTimestamp, slackSignature)
	wantErr(t, "documented example", s.Verify(h, body, secrets(slackSecret), at), nil)
	if got := signedAt(s, body, slackSecret, at).Get("X-Slack-Signature"); got != slackSignature {
		t.Errorf("Sign = %q, Slack documents %q", got, slackSignature)
	}
	wantErr(t, "changed byte", s.Verify(h, append(body[:len(body)-1:len(body)-1], 'd'), secrets(slackSecret), at), ErrSignatureMismatch)
	wantErr(t, "wrong secret", s.Verify(h, body, secrets(slackSecret+"x"), at), ErrSignatureMismatch)
	wantErr(t, "stale", s.Verify(h, body, secrets(slackSecret), at.Add(5*time.Minute+time.Second)), ErrTimestampExpired)
	wantErr(t, "future", s.Verify(h, body, secrets(slackSecret), at.Add(-5*time.Minute-time.Second)), ErrTimestampExpired)
	wantErr(t, "other timestamp", s.Verify(slackHeaders("1531420619", slackSignature), body, secrets(slackSecret), at), ErrSignatureMismatch)
	wantErr(t, "no v0=", s.Verify(slackHeaders(slackTimestamp, slackSignature[3:]), body, secrets(slackSecret), at), ErrMalformedSignature)
	proven(t, "slack", byDocumented, "api.slack.com/authentication/verifying-requests-from-slack")
}

// slackSDK runs slack-go's verifier, which checks the clock against time.Now.
func slackSDK(h http.Header, body []byte, secret string) error {
	v, err := slack.NewSecretsVerifier(h, secret)
	if err != nil {
		return err
	}
	if _, err := v.Write(body); err != nil {
		return err
	}
	return v.Ensure()
}

func TestSlackOurSignaturePassesSlackGo(t *testing.T) {
	s := slackScheme()
	now := time.Now()
	for _, body := range [][]byte{[]byte(slackBody), []byte(`{"type":"event_callback","event_id":"Ev1"}`), {}} {
		h := signedAt(s, body, slackSecret, now)
		if err := slackSDK(h, body, slackSecret); err != nil {
			t.Errorf("slack-go refuses our signature: %v", err)
		}
		wantErr(t, "ours", s.Verify(h, body, secrets(slackSecret), now), nil)
		// The SDK and we refuse the same things.
		for _, c := range []struct {
			name   string
			h      http.Header
			body   []byte
			secret string
		}{
			{"changed byte", h, append([]byte("x"), body...), slackSecret},
			{"wrong secret", h, body, "other"},
			{"stale", signedAt(s, body, slackSecret, now.Add(-6*time.Minute)), body, slackSecret},
			{"future", signedAt(s, body, slackSecret, now.Add(6*time.Minute)), body, slackSecret},
		} {
			if slackSDK(c.h, c.body, c.secret) == nil {
				t.Errorf("%s: slack-go accepts", c.name)
			}
			if s.Verify(c.h, c.body, secrets(c.secret), now) == nil {
				t.Errorf("%s: we accept", c.name)
			}
		}
	}
	proven(t, "slack", bySDK, "github.com/slack-go/slack SecretsVerifier")
}
