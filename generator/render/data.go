package render

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// data is what the templates see.
type data struct {
	Header    string
	Module    string
	Store     string
	Version   string
	Providers []*providerData
}

// AnyHandshake reports whether a provider answers a handshake (the routes
// import the handshake package only then).
func (d *data) AnyHandshake() bool {
	for _, p := range d.Providers {
		if p.HandshakeExpr != "" {
			return true
		}
	}
	return false
}

// providerData is a provider as one project uses it: its chosen events and
// the Go literals the templates paste in.
type providerData struct {
	*catalog.Provider
	Events    []*catalog.Event
	Wildcard  *catalog.Event // the catch-all event, when chosen
	Alias     string         // import alias of its typed events: "stripeevents"
	SecretVar string         // STRIPE_WEBHOOK_SECRET
	// SecretEncoding is how the variable's value becomes key bytes.
	SecretEncoding string
	// PublicKeys: the variable holds public keys, checked at startup.
	PublicKeys bool
	// TestCredentials is the generated tests' credentials expression, and
	// SignsBody whether the scheme detects a changed body (token and basic
	// auth do not).
	TestCredentials string
	SignsBody       bool
	// SignsURL: the scheme signs the URL, so the service needs PUBLIC_URL.
	SignsURL bool
	Scheme   string // a verify.Scheme literal, defaults filled in
	TypeFrom string // []receive.Source literal
	IDFrom   string
	Headers  string // []string literal of headers kept for handlers
	// Tolerance is the default replay window in seconds (0: no timestamp).
	Tolerance int
	// HandshakeExpr is a handshake.Handshake literal ("" when none), and
	// VerifyTokenVar the variable of the tokens it checks (Meta).
	HandshakeExpr  string
	VerifyTokenVar string
	// PairHeader carries the secret a provider hands over (Asana).
	PairHeader string
	// Testing hints for the generated tests.
	TypeHeader string // header carrying the type, when the type is not in the body
	IDHeader   string
	// Break names, per event, a required field that a wrong type makes
	// schema-invalid ("" when there is none).
	Break map[string]string
}

func newData(a Answers, c *catalog.Catalog, version string) (*data, error) {
	d := &data{Header: Header, Module: a.Module, Store: a.Store, Version: version}
	for _, s := range a.Providers {
		p, ok := c.Provider(s.Name)
		if !ok {
			return nil, fmt.Errorf("unknown provider %q", s.Name)
		}
		pd := &providerData{
			Provider:       p,
			Alias:          p.PackageName() + "events",
			SecretVar:      p.EnvPrefix() + p.MainCredential().Name,
			SecretEncoding: p.MainCredential().Encoding,
			TypeFrom:       sourcesLiteral(p.Event.Type),
			IDFrom:         sourcesLiteral(p.Event.ID),
		}
		for _, name := range s.Events {
			e, ok := p.Lookup(name)
			if !ok {
				return nil, fmt.Errorf("unknown event %q for provider %s", name, p.Name)
			}
			pd.Events = append(pd.Events, e)
			if e.Name == catalog.Wildcard {
				pd.Wildcard = e
			}
		}
		scheme, err := schemeLiteral(p.Signature)
		if err != nil {
			return nil, fmt.Errorf("provider %s: %w", p.Name, err)
		}
		pd.Scheme, pd.Tolerance = scheme, p.Signature.ToleranceSeconds
		pd.TestCredentials, pd.PublicKeys = testCredentials(p)
		pd.SignsBody = p.Signature.SignsBody()
		pd.SignsURL = p.Signature.Scheme == "hmac-url"
		if hs := p.Handshake; hs != nil {
			if pd.HandshakeExpr, err = handshakeLiteral(hs.Kind); err != nil {
				return nil, fmt.Errorf("provider %s: %w", p.Name, err)
			}
			if hs.Kind == "meta" {
				pd.VerifyTokenVar = p.EnvPrefix() + "VERIFY_TOKEN"
			}
			if hs.Kind == "asana" {
				pd.PairHeader = "X-Hook-Secret"
			}
		}
		keep := []string{"Content-Type"}
		for _, src := range append(append([]catalog.Source{}, p.Event.Type...), p.Event.ID...) {
			if src.Header != "" {
				keep = append(keep, src.Header)
			}
		}
		keep = append(keep, p.Event.Headers...)
		pd.Headers = stringsLiteral(keep)
		if h := p.Event.Type[0].Header; h != "" {
			pd.TypeHeader = h
		}
		if len(p.Event.ID) > 0 && p.Event.ID[0].Header != "" {
			pd.IDHeader = p.Event.ID[0].Header
		}
		pd.Break = map[string]string{}
		for _, e := range pd.Events {
			f, err := breakableField(p, e)
			if err != nil {
				return nil, err
			}
			pd.Break[e.Name] = f
		}
		d.Providers = append(d.Providers, pd)
	}
	return d, nil
}

// testCredentials is the expression the generated tests build a provider's
// credentials with: a test key pair for public-key schemes, else two
// secrets in the encoding the provider hands them out in.
func testCredentials(p *catalog.Provider) (expr string, publicKeys bool) {
	enc := p.MainCredential().Encoding
	switch p.Signature.Scheme {
	case "ed25519":
		return fmt.Sprintf("keyPair(%q, %q)", "ed25519", enc), true
	case "ecdsa":
		return fmt.Sprintf("keyPair(%q, %q)", "ecdsa-p256-sha256", enc), true
	case "basic-auth":
		return "basicAuth()", false
	}
	return fmt.Sprintf("sharedSecrets(%q)", enc), false
}

// handshakeLiteral is the handshake package's value for a kind.
func handshakeLiteral(kind string) (string, error) {
	name, ok := map[string]string{
		"slack": "Slack", "zoom": "Zoom", "twitch": "Twitch", "discord-ping": "DiscordPing",
		"meta": "Meta", "dropbox": "Dropbox", "okta": "Okta", "trello": "Trello",
	}[kind]
	if kind == "asana" {
		return "", nil // the receive path pairs (PairHeader), with the store
	}
	if !ok {
		return "", fmt.Errorf("handshake %q is not implemented", kind)
	}
	if kind == "meta" {
		return "handshake.Meta{VerifyTokens: verifyTokens}", nil
	}
	return "handshake." + name + "{}", nil
}

// schemeLiteral writes the definition's signature as a Go value of package
// verify: the scheme verify.Spec.Build makes, so the service checks exactly what
// the CLI signs. The tolerance is left to the variable the caller declares
// (it is configurable).
func schemeLiteral(s catalog.Signature) (string, error) {
	scheme, err := s.Build()
	if err != nil {
		return "", err
	}
	return structLiteral(scheme, map[string]string{"Tolerance": "tolerance"}), nil
}

// structLiteral writes a struct of strings, bools and integers as a
// composite literal of its package, zero fields left out; fields named in
// expr are written as the given expression instead.
func structLiteral(v any, expr map[string]string) string {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	var fields []string
	for i := range rt.NumField() {
		f, fv := rt.Field(i), rv.Field(i)
		if fv.IsZero() {
			continue
		}
		value := expr[f.Name]
		if value == "" {
			switch fv.Kind() {
			case reflect.String:
				value = strconv.Quote(fv.String())
			case reflect.Bool:
				value = strconv.FormatBool(fv.Bool())
			case reflect.Int, reflect.Int64:
				value = strconv.FormatInt(fv.Int(), 10)
			default:
				panic(fmt.Sprintf("structLiteral: field %s.%s of kind %s", rt, f.Name, fv.Kind()))
			}
		}
		fields = append(fields, f.Name+": "+value)
	}
	return rt.String() + "{" + strings.Join(fields, ", ") + "}"
}

func sourcesLiteral(srcs []catalog.Source) string {
	parts := make([]string, len(srcs))
	for i, s := range srcs {
		switch {
		case s.Header != "":
			parts[i] = fmt.Sprintf("{Header: %q}", s.Header)
		case len(s.Present) > 0:
			parts[i] = fmt.Sprintf("{Present: %s}", stringsLiteral(s.Present))
		case s.Envelope != "":
			parts[i] = fmt.Sprintf("{Envelope: %q}", s.Envelope)
		default:
			parts[i] = fmt.Sprintf("{JSON: %q}", s.JSON)
		}
	}
	return "[]receive.Source{" + strings.Join(parts, ", ") + "}"
}

func stringsLiteral(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}
