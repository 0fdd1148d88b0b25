package verify

// Public-key schemes against the providers' Go SDKs: SendGrid's
// sendgrid-go helpers/eventwebhook (its own test vector, and its verifier
// on our signatures) and discordgo's VerifyInteraction (on our signatures,
// and ours on signatures made with crypto/ed25519 directly in Discord's
// framing).

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
)

func sendgridScheme() PublicKeySignature {
	return PublicKeySignature{
		Algorithm: ECDSAP256, Header: "X-Twilio-Email-Event-Webhook-Signature", Encoding: Base64,
		TimestampHeader: "X-Twilio-Email-Event-Webhook-Timestamp", SignedPayload: "{timestamp}{body}",
		Unit: Seconds, Tolerance: 10 * time.Minute,
	}
}

func discordScheme() PublicKeySignature {
	return PublicKeySignature{
		Algorithm: Ed25519, Header: "X-Signature-Ed25519", Encoding: Hex,
		TimestampHeader: "X-Signature-Timestamp", SignedPayload: "{timestamp}{body}",
		Unit: Seconds, Tolerance: 5 * time.Minute,
	}
}

// From sendgrid-go helpers/eventwebhook/eventwebhook_test.go (v3.16.1).
const (
	sendgridPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
	sendgridSignature = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="
	sendgridTimestamp = "1600112502"
	sendgridPayload   = `[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]` + "\r\n"
)

func TestSendGridSDKVector(t *testing.T) {
	s := sendgridScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	keys, err := DecodeSecrets(Base64Key, secrets(sendgridPublicKey))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckKeys(keys); err != nil {
		t.Fatal(err)
	}
	// The SDK itself agrees with the vector (a control).
	pub, _ := eventwebhook.ConvertPublicKeyBase64ToECDSA(sendgridPublicKey)
	if ok, err := eventwebhook.VerifySignature(pub, []byte(sendgridPayload), sendgridSignature, sendgridTimestamp); !ok || err != nil {
		t.Fatalf("sendgrid-go refuses its own vector: %v", err)
	}
	n, _ := strconv.ParseInt(sendgridTimestamp, 10, 64)
	at := time.Unix(n, 0)
	h := http.Header{}
	h.Set("X-Twilio-Email-Event-Webhook-Signature", sendgridSignature)
	h.Set("X-Twilio-Email-Event-Webhook-Timestamp", sendgridTimestamp)
	body := []byte(sendgridPayload)
	wantErr(t, "sdk vector", s.Verify(h, body, keys, at), nil)
	wantErr(t, "changed byte", s.Verify(h, bytes.Replace(body, []byte("dropped"), []byte("Dropped"), 1), keys, at), ErrSignatureMismatch)
	wantErr(t, "without the trailing CRLF", s.Verify(h, body[:len(body)-2], keys, at), ErrSignatureMismatch)
	wantErr(t, "stale", s.Verify(h, body, keys, at.Add(11*time.Minute)), ErrTimestampExpired)
	wantErr(t, "future", s.Verify(h, body, keys, at.Add(-11*time.Minute)), ErrTimestampExpired)
	other := h.Clone()
	other.Set("X-Twilio-Email-Event-Webhook-Timestamp", "1600112503")
	wantErr(t, "other timestamp", s.Verify(other, body, keys, at), ErrSignatureMismatch)
	_, otherPub, _ := GenerateKey(ECDSAP256)
	wantErr(t, "other key", s.Verify(h, body, [][]byte{otherPub}, at), ErrSignatureMismatch)
	wantErr(t, "rotating: other key, then the right one", s.Verify(h, body, [][]byte{otherPub, keys[0]}, at), nil)
}

func TestSendGridOurSignaturePassesSDK(t *testing.T) {
	s := sendgridScheme()
	priv, pubDER, err := GenerateKey(ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := eventwebhook.ConvertPublicKeyBase64ToECDSA(base64.StdEncoding.EncodeToString(pubDER))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(sendgridPayload)
	h := http.Header{}
	s.Sign(h, body, priv, testNow)
	ts := h.Get("X-Twilio-Email-Event-Webhook-Timestamp")
	if ts != "1700000000" {
		t.Fatalf("timestamp header %q", ts)
	}
	ok, err := eventwebhook.VerifySignature(pub, body, h.Get("X-Twilio-Email-Event-Webhook-Signature"), ts)
	if !ok || err != nil {
		t.Fatalf("sendgrid-go refuses our signature: %v", err)
	}
	if ok, _ := eventwebhook.VerifySignature(pub, append(body, ' '), h.Get("X-Twilio-Email-Event-Webhook-Signature"), ts); ok {
		t.Fatal("sendgrid-go accepts a changed body: this test proves nothing")
	}
	wantErr(t, "ours", s.Verify(h, body, [][]byte{pubDER}, testNow), nil)
	proven(t, "sendgrid", bySDK, "github.com/sendgrid/sendgrid-go/helpers/eventwebhook")
}

func discordRequest(h http.Header, body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
	for k, v := range h {
		r.Header[k] = v
	}
	return r
}

func TestDiscordOurSignaturePassesDiscordgo(t *testing.T) {
	s := discordScheme()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	seed, pub, err := GenerateKey(Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"787053080478613555","application_id":"775799577604522054","type":1,"version":1}`)
	h := http.Header{}
	s.Sign(h, body, seed, testNow)
	if !discordgo.VerifyInteraction(discordRequest(h, body), ed25519.PublicKey(pub)) {
		t.Fatal("discordgo refuses our signature")
	}
	if discordgo.VerifyInteraction(discordRequest(h, append(body, ' ')), ed25519.PublicKey(pub)) {
		t.Fatal("discordgo accepts a changed body: this test proves nothing")
	}
	wantErr(t, "ours", s.Verify(h, body, [][]byte{pub}, testNow), nil)
	proven(t, "discord", bySDK, "github.com/bwmarrin/discordgo VerifyInteraction")
}

// Discord signs timestamp‖body with Ed25519 and sends both in hex/decimal
// headers; this builds that by hand with crypto/ed25519, not through Sign.
func TestDiscordIndependentSignature(t *testing.T) {
	s := discordScheme()
	pub, priv, _ := ed25519.GenerateKey(nil)
	body := []byte(`{"type":2,"data":{"name":"blep"}}`)
	ts := strconv.FormatInt(testNow.Unix(), 10)
	h := http.Header{}
	h.Set("X-Signature-Timestamp", ts)
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	if !discordgo.VerifyInteraction(discordRequest(h, body), pub) {
		t.Fatal("discordgo refuses the hand-made signature")
	}
	keys, err := DecodeSecrets(HexKey, secrets(hex.EncodeToString(pub)))
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "hand-made", s.Verify(h, body, keys, testNow), nil)
	// Discord checks endpoints with deliberately bad signatures: each must be refused.
	bad := h.Clone()
	sig, _ := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	sig[0] ^= 1
	bad.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	wantErr(t, "flipped bit", s.Verify(bad, body, keys, testNow), ErrSignatureMismatch)
	short := h.Clone()
	short.Set("X-Signature-Ed25519", h.Get("X-Signature-Ed25519")[:64])
	wantErr(t, "short signature", s.Verify(short, body, keys, testNow), ErrSignatureMismatch)
	wantErr(t, "stale", s.Verify(h, body, keys, testNow.Add(6*time.Minute)), ErrTimestampExpired)
	wantErr(t, "no timestamp", s.Verify(http.Header{"X-Signature-Ed25519": {h.Get("X-Signature-Ed25519")}}, body, keys, testNow), ErrMalformedSignature)
	if err := s.CheckKeys([][]byte{pub[:31]}); err == nil {
		t.Fatal("a 31-byte key passes CheckKeys")
	}
	if err := sendgridScheme().CheckKeys([][]byte{pub}); err == nil {
		t.Fatal("an Ed25519 key passes as an ECDSA key")
	}
}

// The schemes tested above are the ones providers/{discord,sendgrid}.json
// declare, so the SDK checks hold for the generated services.
func TestPublicKeySchemesMatchDefinitions(t *testing.T) {
	for name, want := range map[string]PublicKeySignature{"discord": discordScheme(), "sendgrid": sendgridScheme()} {
		checkDefinition(t, name, Scheme(want))
	}
}
