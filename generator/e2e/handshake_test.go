package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
	"github.com/create-webhook-handler/create-webhook-handler/generator/sign"
	"github.com/create-webhook-handler/create-webhook-handler/providers"
	"github.com/create-webhook-handler/create-webhook-handler/schemas"
)

// credential is what a provider's variable holds in these tests, and how a
// sender signs (a secret, or a private key file from keygen).
type credential struct {
	env     string // NAME=value for the server
	secret  string
	keyFile string
}

// handshakeProviders are the providers this test runs: every one in the
// catalogue, in one service, so "sign + curl gets a 2xx, a tampered body a
// 401" holds for any provider, not for a sample of them.
var handshakeProviders []string

// publicURL is PUBLIC_URL in these tests: providers that sign the URL sign
// this one, as behind a proxy.
const publicURL = "https://hooks.example.test"

// credentials makes each provider's credential with the CLI (keygen for
// key pairs), as a user would.
func credentials(t *testing.T, c *catalog.Catalog, dir string) map[string]credential {
	t.Helper()
	out := map[string]credential{}
	for _, name := range handshakeProviders {
		p, _ := c.Provider(name)
		variable := p.EnvPrefix() + p.MainCredential().Name
		if p.Signature.Scheme == "ed25519" || p.Signature.Scheme == "ecdsa" {
			key := filepath.Join(dir, name+".pem")
			line := strings.TrimSpace(cli(t, "keygen", "--provider", name, "--out", key))
			if !strings.HasPrefix(line, variable+"=") {
				t.Fatalf("keygen printed %q, want %s=...", line, variable)
			}
			out[name] = credential{env: line, keyFile: key}
			continue
		}
		secret := "e2e-" + name + "-secret"
		switch {
		case p.MainCredential().Encoding == "whsec-base64":
			secret = "whsec_ZTJlLXNlY3JldC1mb3ItdGhlLXRlc3Q="
		case p.Signature.Scheme == "basic-auth":
			secret = "hook:e2e-" + name + "-password"
		}
		out[name] = credential{env: variable + "=" + secret, secret: secret}
	}
	return out
}

// verifyToken is META_VERIFY_TOKEN in these tests.
const verifyToken = "e2e-verify-token"

func cli(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(buildCLI(t), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("create-webhook-handler %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// signed returns the provider's headers for body, signed as the CLI signs.
func signed(t *testing.T, p *catalog.Provider, cred credential, body []byte) http.Header {
	t.Helper()
	args := []string{"sign", "--provider", p.Name}
	if p.Signature.Scheme == "hmac-url" {
		args = append(args, "--url", publicURL+"/webhooks/"+p.Name)
	}
	if cred.keyFile != "" {
		args = append(args, "--key", cred.keyFile)
	} else {
		args = append(args, "--secret", cred.secret)
	}
	cmd := exec.Command(buildCLI(t), args...)
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		h.Set(k, v)
	}
	return h
}

func reply(t *testing.T, s *server, method, path string, h http.Header, body []byte) (int, http.Header, string) {
	t.Helper()
	res, b := s.exchange(t, method, path, h, body)
	return res.StatusCode, res.Header, string(b)
}

// For every provider of the project: `send` gets a 2xx, a body signed with
// `sign` and then changed gets a 401, and each handshake is answered as the
// provider expects, through the real server.
func TestSendSignAndHandshakes(t *testing.T) {
	c, err := catalog.Load(providers.FS, schemas.FS)
	if err != nil {
		t.Fatal(err)
	}
	handshakeProviders = c.Names()
	args := []string{"--module", "example.com/hs"}
	for _, name := range handshakeProviders {
		args = append(args, "--provider", name)
	}
	dir := generate(t, args...)
	creds := credentials(t, c, t.TempDir())
	admin := "127.0.0.1:" + freePort(t)
	env := []string{"META_VERIFY_TOKEN=" + verifyToken, "ADMIN_ADDR=" + admin, "PUBLIC_URL=" + publicURL}
	for _, cr := range creds {
		env = append(env, cr.env)
	}
	bin := build(t, dir)
	s := startBin(t, dir, bin, env...)

	for _, name := range handshakeProviders {
		p, _ := c.Provider(name)
		cred := creds[name]
		t.Run(name+"/send", func(t *testing.T) {
			e := p.DefaultEvents()[0]
			args := []string{"send", s.url + "/webhooks/" + name, "--provider", name, "--event", e, "--signed-url", publicURL + "/webhooks/" + name}
			if cred.keyFile != "" {
				args = append(args, "--key", cred.keyFile)
			} else {
				args = append(args, "--secret", cred.secret)
			}
			out := cli(t, args...)
			if !strings.HasPrefix(out, "20") {
				t.Fatalf("send: %s", out)
			}
		})
		if !p.Signature.SignsBody() {
			continue // a token proves the sender, not the body
		}
		t.Run(name+"/tampered", func(t *testing.T) {
			ev, _ := p.Lookup(p.DefaultEvents()[0])
			h := signed(t, p, cred, ev.Sample)
			changed := append(bytes.TrimRight(append([]byte{}, ev.Sample...), "\n"), ' ')
			if code, _, body := reply(t, s, http.MethodPost, "/webhooks/"+name, h, changed); code != http.StatusUnauthorized {
				t.Fatalf("tampered body: %d %s", code, body)
			}
		})
	}

	t.Run("discord/ping", func(t *testing.T) {
		p, _ := c.Provider("discord")
		ping := []byte(`{"version":1,"application_id":"1234560123453231555","type":0}`)
		h := signed(t, p, creds["discord"], ping)
		code, rh, body := reply(t, s, http.MethodPost, "/webhooks/discord", h, ping)
		if code != http.StatusNoContent || body != "" {
			t.Fatalf("PING: %d %q, want 204 and no body", code, body)
		}
		if ct := rh.Get("Content-Type"); ct != "" {
			t.Errorf("PING reply has Content-Type %q", ct)
		}
		// Discord's deliberate bad signature must get a 401.
		h.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
		if code, _, _ := reply(t, s, http.MethodPost, "/webhooks/discord", h, ping); code != http.StatusUnauthorized {
			t.Fatalf("PING with a bad signature: %d, want 401", code)
		}
		// Stale: Discord's timestamp is checked too.
		old, _, _ := sign.Delivery(p, ping, "", sign.Options{At: time.Now().Add(-time.Hour), PrivateKey: mustKey(t, creds["discord"].keyFile)})
		old.Set("Content-Type", "application/json")
		if code, _, _ := reply(t, s, http.MethodPost, "/webhooks/discord", old, ping); code != http.StatusUnauthorized {
			t.Fatalf("stale PING: %d, want 401", code)
		}
	})
	post := func(t *testing.T, name string, body string, extra ...string) (int, http.Header, string) {
		t.Helper()
		p, _ := c.Provider(name)
		h := signed(t, p, creds[name], []byte(body))
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return reply(t, s, http.MethodPost, "/webhooks/"+name, h, []byte(body))
	}
	t.Run("slack/url_verification", func(t *testing.T) {
		code, rh, body := post(t, "slack", `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
		if code != 200 || !strings.Contains(rh.Get("Content-Type"), "json") || strings.TrimSpace(body) != `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}` {
			t.Fatalf("%d %q %s", code, rh.Get("Content-Type"), body)
		}
	})
	t.Run("zoom/endpoint.url_validation", func(t *testing.T) {
		code, _, body := post(t, "zoom", `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`)
		m := hmac.New(sha256.New, []byte(creds["zoom"].secret))
		m.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
		want := `{"encryptedToken":"` + hex.EncodeToString(m.Sum(nil)) + `","plainToken":"qgg8vlvZRS6UYooatFL8Aw"}`
		if code != 200 || strings.TrimSpace(body) != want {
			t.Fatalf("%d %s, want %s", code, body, want)
		}
	})
	t.Run("twitch/webhook_callback_verification", func(t *testing.T) {
		code, rh, body := post(t, "twitch", `{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","status":"webhook_callback_verification_pending","type":"channel.follow","version":"2"}}`,
			"Twitch-Eventsub-Message-Type", "webhook_callback_verification", "Twitch-Eventsub-Subscription-Type", "channel.follow")
		if code != 200 || !strings.HasPrefix(rh.Get("Content-Type"), "text/plain") || body != "pogchamp-kappa-360noscope-vohiyo" {
			t.Fatalf("%d %q %q", code, rh.Get("Content-Type"), body)
		}
	})
	t.Run("okta/verification", func(t *testing.T) {
		code, _, body := reply(t, s, http.MethodGet, "/webhooks/okta", http.Header{"X-Okta-Verification-Challenge": {"2ZaQTvOzBPNGi6B7jQ5dX6GO5O5shTVZxTjHCmcJ"}}, nil)
		if code != 200 || strings.TrimSpace(body) != `{"verification":"2ZaQTvOzBPNGi6B7jQ5dX6GO5O5shTVZxTjHCmcJ"}` {
			t.Fatalf("%d %s", code, body)
		}
	})
	t.Run("trello/HEAD", func(t *testing.T) {
		if code, rh, _ := reply(t, s, http.MethodHead, "/webhooks/trello", nil, nil); code != 200 {
			t.Fatalf("HEAD: %d %v", code, rh)
		}
		if code, rh, _ := reply(t, s, http.MethodGet, "/webhooks/trello", nil, nil); code != http.StatusMethodNotAllowed || rh.Get("Allow") != "POST, HEAD" {
			t.Fatalf("GET: %d, Allow %q", code, rh.Get("Allow"))
		}
	})
	t.Run("meta/entries split", func(t *testing.T) {
		p, _ := c.Provider("meta")
		body := `{"object":"page","entry":[{"id":"1","time":1749416390,"changes":[{"field":"feed","value":{"item":"status","verb":"add"}}]},{"id":"1","time":1749416391,"changes":[{"field":"feed","value":{"item":"status","verb":"edited"}}]}]}`
		code, _, out := reply(t, s, http.MethodPost, "/webhooks/meta", signed(t, p, creds["meta"], []byte(body)), []byte(body))
		if code != 200 || !strings.Contains(out, `"events":2`) {
			t.Fatalf("%d %s, want two events", code, out)
		}
	})
	t.Run("dropbox/challenge", func(t *testing.T) {
		code, rh, body := reply(t, s, http.MethodGet, "/webhooks/dropbox?challenge=Jc9f2Qn8", nil, nil)
		if code != 200 || body != "Jc9f2Qn8" || !strings.HasPrefix(rh.Get("Content-Type"), "text/plain") || rh.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%d %q %v", code, body, rh)
		}
	})
	t.Run("xero/intent to receive", func(t *testing.T) {
		code, _, body := post(t, "xero", `{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"NCEOJZJVXTNHRGXUHSUA"}`)
		if code != 200 || body != "" {
			t.Fatalf("signed: %d %q, want 200 and no body", code, body)
		}
		p, _ := c.Provider("xero")
		h := signed(t, p, credential{secret: "not-the-key"}, []byte(`{"events":[]}`))
		if code, _, _ := reply(t, s, http.MethodPost, "/webhooks/xero", h, []byte(`{"events":[]}`)); code != http.StatusUnauthorized {
			t.Fatalf("wrongly signed: %d, want 401", code)
		}
	})
	t.Run("meta/hub.challenge", func(t *testing.T) {
		code, _, body := reply(t, s, http.MethodGet, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token="+verifyToken, nil, nil)
		if code != 200 || body != "1158201444" {
			t.Fatalf("%d %q", code, body)
		}
		if code, _, _ := reply(t, s, http.MethodGet, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess", nil, nil); code != http.StatusForbidden {
			t.Fatalf("wrong verify token: %d, want 403", code)
		}
	})
	t.Run("asana/X-Hook-Secret pairing", func(t *testing.T) {
		handed := "b537207f20cbfa02357cf448134da559"
		hello := http.Header{"X-Hook-Secret": {handed}}
		if code, _, body := reply(t, s, http.MethodPost, "/webhooks/asana", hello, nil); code != http.StatusForbidden {
			t.Fatalf("handshake without a pairing window: %d %s", code, body)
		}
		out := operator(t, dir, bin, nil, "pair", "asana", "--for", "1m")
		if !strings.Contains(out, "asana may hand over one secret until") {
			t.Fatalf("server pair: %s", out)
		}
		code, rh, _ := reply(t, s, http.MethodPost, "/webhooks/asana", hello, nil)
		if code != 200 || rh.Get("X-Hook-Secret") != handed {
			t.Fatalf("handshake: %d, X-Hook-Secret %q", code, rh.Get("X-Hook-Secret"))
		}
		if code, _, _ := reply(t, s, http.MethodPost, "/webhooks/asana", http.Header{"X-Hook-Secret": {"planted"}}, nil); code != http.StatusForbidden {
			t.Fatalf("a second secret in one window: %d", code)
		}
		p, _ := c.Provider("asana")
		ev, _ := p.Lookup("task:changed")
		h := signed(t, p, credential{secret: handed}, ev.Sample)
		if code, _, body := reply(t, s, http.MethodPost, "/webhooks/asana", h, ev.Sample); code != 200 {
			t.Fatalf("event signed with the handed-over secret: %d %s", code, body)
		}
		h = signed(t, p, credential{secret: "planted"}, ev.Sample)
		if code, _, _ := reply(t, s, http.MethodPost, "/webhooks/asana", h, ev.Sample); code != http.StatusUnauthorized {
			t.Fatalf("event signed with a refused secret: %d", code)
		}
	})
	t.Run("handshakes are not stored", func(t *testing.T) {
		exposition := scrape(t, admin)
		for _, name := range []string{"slack", "zoom", "twitch", "meta", "okta", "discord", "asana", "dropbox"} {
			if n := metric(exposition, "webhook_handshakes_total", "provider", name); n < 1 {
				t.Errorf("%s: %v handshakes counted, want at least 1", name, n)
			}
		}
		// Nothing but the events sent above reached the inbox.
		list := operator(t, dir, bin, nil, "events", "list")
		for _, challenge := range []string{"url_verification", "endpoint.url_validation", "webhook_callback_verification"} {
			if strings.Contains(list, challenge) {
				t.Errorf("a %s handshake was stored:\n%s", challenge, list)
			}
		}
	})
	t.Run("stripe/no handshake methods", func(t *testing.T) {
		code, rh, _ := reply(t, s, http.MethodGet, "/webhooks/stripe?challenge=x", nil, nil)
		if code != http.StatusMethodNotAllowed || rh.Get("Allow") != "POST" {
			t.Fatalf("GET on stripe: %d Allow %q", code, rh.Get("Allow"))
		}
	})
}

func mustKey(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	k, err := sign.PrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
