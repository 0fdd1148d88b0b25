package catalog

import (
	"strings"
	"unicode"
)

// Wildcard is the event name of a provider's catch-all handler.
const Wildcard = "*"

// initialisms are written in capitals in Go identifiers, as golint would.
var initialisms = map[string]bool{
	"API": true, "CI": true, "DNS": true, "HMAC": true, "HTML": true, "HTTP": true, "HTTPS": true,
	"ID": true, "IP": true, "JSON": true, "JWT": true, "SHA": true, "SMS": true, "SQL": true,
	"SSH": true, "TLS": true, "UI": true, "URL": true, "URI": true, "UUID": true, "XML": true,
}

// words splits a name on every character that is not a letter or a digit,
// and camel case at each lower-to-upper step ("ApiError" → "Api", "Error").
func words(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		start := 0
		for i := 1; i < len(f); i++ {
			if unicode.IsLower(rune(f[i-1])) && unicode.IsUpper(rune(f[i])) {
				out = append(out, f[start:i])
				start = i
			}
		}
		out = append(out, f[start:])
	}
	return out
}

// FileName maps an event name to a file name stem: "orders/create" →
// "orders_create", "Push Hook" → "push_hook", "*" → "any".
func FileName(event string) string {
	if event == Wildcard {
		return "any"
	}
	return strings.ToLower(strings.Join(words(event), "_"))
}

// GoName maps a name to an exported Go identifier: "payment_intent.succeeded"
// → "PaymentIntentSucceeded", "generic-hmac" → "GenericHMAC", "*" → "Any".
func GoName(name string) string {
	if name == Wildcard {
		return "Any"
	}
	var b strings.Builder
	for _, w := range words(name) {
		if up := strings.ToUpper(w); initialisms[up] {
			b.WriteString(up)
			continue
		}
		if w == strings.ToUpper(w) { // SHOUTING_CASE → Shouting
			w = strings.ToLower(w)
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	id := b.String()
	if id == "" || unicode.IsDigit(rune(id[0])) {
		id = "E" + id
	}
	return id
}

// PackageName maps a provider name to a Go package name: "generic-hmac" → "generichmac".
func PackageName(provider string) string {
	return strings.ToLower(strings.Join(words(provider), ""))
}
