package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/create-webhook-handler/create-webhook-handler/generator/catalog"
)

// configJSON renders config/webhooks.json with every setting spelled out at
// its default, so a user sees what can be changed.
func configJSON(d *data) ([]byte, error) {
	type signature struct {
		Header    string `json:"header"`
		Algorithm string `json:"algorithm"`
		Encoding  string `json:"encoding"`
		Prefix    string `json:"prefix"`
	}
	type rateLimit struct {
		PerSecond float64 `json:"perSecond"`
		Burst     int     `json:"burst"`
	}
	type provider struct {
		Enabled          bool       `json:"enabled"`
		ToleranceSeconds int        `json:"toleranceSeconds,omitempty"`
		BodyLimitBytes   int64      `json:"bodyLimitBytes"`
		MaxAttempts      int        `json:"maxAttempts"`
		RateLimit        rateLimit  `json:"rateLimit"`
		IPAllowlist      []string   `json:"ipAllowlist"`
		Signature        *signature `json:"signature,omitempty"`
	}
	type server struct {
		TrustedProxies           []string  `json:"trustedProxies"`
		ClientRateLimit          rateLimit `json:"clientRateLimit"`
		MaxConcurrentRequests    int       `json:"maxConcurrentRequests"`
		ReadHeaderTimeoutSeconds int       `json:"readHeaderTimeoutSeconds"`
		ReadTimeoutSeconds       int       `json:"readTimeoutSeconds"`
		WriteTimeoutSeconds      int       `json:"writeTimeoutSeconds"`
		IdleTimeoutSeconds       int       `json:"idleTimeoutSeconds"`
		MaxHeaderBytes           int       `json:"maxHeaderBytes"`
	}
	type processing struct {
		Workers                 int    `json:"workers"`
		MemoryQueue             int    `json:"memoryQueue"`
		MemoryQueueBytes        int64  `json:"memoryQueueBytes"`
		JobTimeoutSeconds       int    `json:"jobTimeoutSeconds"`
		RescueAfterSeconds      int    `json:"rescueAfterSeconds"`
		RetryBaseMillis         int    `json:"retryBaseMillis"`
		PollIntervalMillis      int    `json:"pollIntervalMillis"`
		RetentionDays           int    `json:"retentionDays"`
		SQLiteSynchronous       string `json:"sqliteSynchronous"`
		GroupCommitMax          int    `json:"groupCommitMax"`
		GroupCommitWindowMicros int    `json:"groupCommitWindowMicros"`
	}
	cfg := struct {
		Server     server              `json:"server"`
		Processing processing          `json:"processing"`
		Providers  map[string]provider `json:"providers"`
	}{
		Server: server{TrustedProxies: []string{}, ClientRateLimit: rateLimit{PerSecond: 100, Burst: 200},
			MaxConcurrentRequests: 1000, ReadHeaderTimeoutSeconds: 10, ReadTimeoutSeconds: 30, WriteTimeoutSeconds: 30,
			IdleTimeoutSeconds: 120, MaxHeaderBytes: 64 << 10},
		// The defaults of package store, spelled out.
		Processing: processing{Workers: 50, MemoryQueue: 4096, MemoryQueueBytes: 64 << 20, JobTimeoutSeconds: 60, RescueAfterSeconds: 90, RetryBaseMillis: 1000,
			PollIntervalMillis: 50, RetentionDays: 30, SQLiteSynchronous: "FULL", GroupCommitMax: 256},
		Providers: map[string]provider{},
	}
	for _, p := range d.Providers {
		pc := provider{Enabled: true, ToleranceSeconds: p.Signature.ToleranceSeconds, BodyLimitBytes: 10 << 20, MaxAttempts: 8, IPAllowlist: []string{}}
		if s := p.Signature; s.Configurable {
			pc.Signature = &signature{Header: s.Header, Algorithm: s.Algorithm, Encoding: s.Encoding, Prefix: s.Prefix}
		}
		cfg.Providers[p.Name] = pc
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// breakableField picks a required top-level field of the event's schema that
// a JSON array can never satisfy (not an array, not of varying type, not
// where the type or id is read), for the generated schema-invalid test.
func breakableField(p *catalog.Provider, e *catalog.Event) (string, error) {
	if e.Schema == nil || !bytes.Contains(e.Schema, []byte(`"required"`)) {
		return "", nil // no required field (imported schemas require only an envelope)
	}
	var s struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(e.Schema, &s); err != nil {
		return "", fmt.Errorf("%s %s schema: %w", p.Name, e.Name, err)
	}
	var sources []string
	for _, src := range append(append([]catalog.Source{}, p.Event.Type...), p.Event.ID...) {
		// A nested path's top field holds the type or id too: breaking it
		// would make the delivery malformed, not schema-invalid.
		for _, path := range strings.Split(src.JSON, "+") {
			top, _, _ := strings.Cut(path, ".")
			sources = append(sources, top)
		}
	}
	// Fields holding a body signature are rewritten by the signer.
	for _, f := range []string{p.Signature.TimestampField, p.Signature.TokenField, p.Signature.SignatureField} {
		if top, _, _ := strings.Cut(f, "."); top != "" {
			sources = append(sources, top)
		}
	}
	for _, name := range s.Required {
		if slices.Contains(sources, name) {
			continue
		}
		var prop struct {
			Type  any    `json:"type"`
			Ref   string `json:"$ref"`
			AnyOf []any  `json:"anyOf"`
		}
		if json.Unmarshal(s.Properties[name], &prop) != nil {
			continue
		}
		if t, ok := prop.Type.(string); (ok && t != "array") || (prop.Type == nil && (prop.Ref != "" || prop.AnyOf != nil)) {
			return name, nil
		}
	}
	return "", nil
}
