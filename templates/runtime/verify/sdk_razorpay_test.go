package verify

// Razorpay's X-Razorpay-Signature (hex HMAC-SHA256 of the body) against
// razorpay-go's utils.VerifyWebhookSignature. The SDK does not sign; the
// Razorpay-signs direction is razorpay-node's vector in conformance.json.

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/razorpay/razorpay-go/utils"
)

const (
	razorpaySecret = "rzp-webhook-secret"
	razorpayBody   = `{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.captured","contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_DESlfW9H8K9uqM","amount":100,"currency":"INR"}}},"created_at":1567674606}`
)

func TestRazorpayOurSignaturePassesRazorpayGo(t *testing.T) {
	s := definitionScheme(t, "razorpay")
	body := []byte(razorpayBody)
	h := http.Header{}
	s.Sign(h, body, []byte(razorpaySecret), testNow)
	sig := h.Get("X-Razorpay-Signature")
	changed := bytes.Replace(body, []byte(`"amount":100`), []byte(`"amount":900`), 1)
	for _, c := range []struct {
		name   string
		body   []byte
		secret string
		want   error // ours; nil means razorpay-go accepts too
	}{
		{"our signature", body, razorpaySecret, nil},
		{"changed byte", changed, razorpaySecret, ErrSignatureMismatch},
		{"wrong secret", body, razorpaySecret + "x", ErrSignatureMismatch},
	} {
		wantErr(t, c.name, s.Verify(h, c.body, secrets(c.secret), testNow), c.want)
		if got := utils.VerifyWebhookSignature(string(c.body), sig, c.secret); got != (c.want == nil) {
			t.Errorf("%s: razorpay-go VerifyWebhookSignature = %v", c.name, got)
		}
	}
	proven(t, "razorpay", bySDK, "github.com/razorpay/razorpay-go@v1.3.3 utils.VerifyWebhookSignature")
}
