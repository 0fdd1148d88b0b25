package verify

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// SecretEncoding is how a provider hands out a secret, and so how the text
// an operator pastes becomes the key bytes.
type SecretEncoding string

const (
	// Raw secrets are used as their UTF-8 bytes (Stripe's whsec_..., verbatim).
	Raw SecretEncoding = "raw"
	// WhsecBase64 is Standard Webhooks': base64 after an optional "whsec_".
	WhsecBase64 SecretEncoding = "whsec-base64"
	HexKey      SecretEncoding = "hex"
	Base64Key   SecretEncoding = "base64"
)

// DecodeSecrets turns the configured secrets into keys. Errors say which
// secret (by position) is wrong and why, never its value.
func DecodeSecrets(enc SecretEncoding, secrets [][]byte) ([][]byte, error) {
	out := make([][]byte, 0, len(secrets))
	for i, s := range secrets {
		key, err := decodeSecret(enc, string(s))
		if err != nil {
			return nil, fmt.Errorf("secret %d of %d: %w", i+1, len(secrets), err)
		}
		out = append(out, key)
	}
	return out, nil
}

func decodeSecret(enc SecretEncoding, s string) ([]byte, error) {
	var key []byte
	var err error
	switch enc {
	case Raw, "":
		return []byte(s), nil
	case WhsecBase64:
		key, err = base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_"))
		if err != nil {
			return nil, fmt.Errorf("not base64 after whsec_ (copy the whole secret from the provider's dashboard)")
		}
	case HexKey:
		if key, err = hex.DecodeString(s); err != nil {
			return nil, fmt.Errorf("not hexadecimal")
		}
	case Base64Key:
		if key, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("not base64")
		}
	default:
		return nil, fmt.Errorf("unknown secret encoding %q", string(enc))
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("empty once decoded")
	}
	return key, nil
}

// EncodeSecret writes a key as the provider hands it out: DecodeSecrets'
// inverse, for the CLI's keygen and the generated tests.
func EncodeSecret(enc SecretEncoding, key []byte) string {
	switch enc {
	case WhsecBase64:
		return "whsec_" + base64.StdEncoding.EncodeToString(key)
	case HexKey:
		return hex.EncodeToString(key)
	case Base64Key:
		return base64.StdEncoding.EncodeToString(key)
	}
	return string(key)
}
