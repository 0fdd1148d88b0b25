// Package config reads config/webhooks.json (per-provider settings, never
// secrets) and the credentials from the environment.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// File is config/webhooks.json.
type File struct {
	Server     Server              `json:"server"`
	Processing Processing          `json:"processing"`
	Providers  map[string]Provider `json:"providers"`
}

// Server holds the public listener's protections. Zero values take the defaults.
type Server struct {
	// TrustedProxies are the CIDRs or addresses whose X-Forwarded-For and
	// Forwarded headers are believed; everyone else's are ignored.
	TrustedProxies []string `json:"trustedProxies,omitempty"`
	// ClientRateLimit caps requests per client address, before a body is
	// read (429 beyond). perSecond 0 turns it off.
	ClientRateLimit RateLimit `json:"clientRateLimit"`
	// MaxConcurrentRequests answers 503 beyond this many requests in flight (1000).
	MaxConcurrentRequests int `json:"maxConcurrentRequests,omitempty"`
	// Timeouts of the public listener, against slow clients (slowloris).
	ReadHeaderTimeoutSeconds int `json:"readHeaderTimeoutSeconds,omitempty"` // 10
	ReadTimeoutSeconds       int `json:"readTimeoutSeconds,omitempty"`       // 30
	WriteTimeoutSeconds      int `json:"writeTimeoutSeconds,omitempty"`      // 30
	IdleTimeoutSeconds       int `json:"idleTimeoutSeconds,omitempty"`       // 120
	// MaxHeaderBytes bounds a request's headers (64 KiB; 431 beyond).
	MaxHeaderBytes int `json:"maxHeaderBytes,omitempty"`
}

// RateLimit is a token bucket: perSecond on average, bursts of burst.
type RateLimit struct {
	PerSecond float64 `json:"perSecond"`
	Burst     int     `json:"burst,omitempty"`
}

// Seconds returns n seconds, or def when n is 0.
func Seconds(n, def int) time.Duration {
	if n <= 0 {
		n = def
	}
	return time.Duration(n) * time.Second
}

// Processing tunes the workers that run handlers. Zero values take the defaults.
type Processing struct {
	// Workers is how many handlers run at once for new events, and again as
	// many for retries, replays and overflow (50).
	Workers int `json:"workers,omitempty"`
	// MemoryQueue is how many accepted events may wait in memory for a
	// worker (4096), MemoryQueueBytes how much they may hold (64 MiB);
	// beyond either they wait as River jobs, in the database.
	MemoryQueue      int   `json:"memoryQueue,omitempty"`
	MemoryQueueBytes int64 `json:"memoryQueueBytes,omitempty"`
	// JobTimeoutSeconds bounds one handler run (60).
	JobTimeoutSeconds int `json:"jobTimeoutSeconds,omitempty"`
	// RescueAfterSeconds is when an event whose handler was running in a
	// process that died is run again; more than JobTimeoutSeconds (90).
	RescueAfterSeconds int `json:"rescueAfterSeconds,omitempty"`
	// RetryBaseMillis is the first retry's delay; each further one doubles,
	// with jitter, up to an hour (1000).
	RetryBaseMillis int `json:"retryBaseMillis,omitempty"`
	// PollIntervalMillis is how often idle workers look for new events (50).
	PollIntervalMillis int `json:"pollIntervalMillis,omitempty"`
	// RetentionDays is how long processed and ignored events are kept (30).
	RetentionDays int `json:"retentionDays,omitempty"`
	// SQLiteSynchronous is FULL (default: an acknowledged event survives a
	// power cut), EXTRA, or NORMAL (faster; a power cut can lose the last
	// acknowledged events, a process crash cannot).
	SQLiteSynchronous string `json:"sqliteSynchronous,omitempty"`
	// GroupCommitMax caps the events one commit holds (256);
	// GroupCommitWindowMicros is how long a commit waits for more after the
	// first (0: it takes what queued while the previous commit ran, so a
	// lone event waits for nothing).
	GroupCommitMax          int `json:"groupCommitMax,omitempty"`
	GroupCommitWindowMicros int `json:"groupCommitWindowMicros,omitempty"`
}

// Provider is one provider's settings. Zero values take the defaults.
type Provider struct {
	// Enabled defaults to true; a disabled provider answers 404 and needs no secret.
	Enabled *bool `json:"enabled,omitempty"`
	// ToleranceSeconds is the replay window of timestamped schemes, both
	// directions; the provider's documented tolerance when 0.
	ToleranceSeconds int `json:"toleranceSeconds,omitempty"`
	// BodyLimitBytes caps a delivery's body; 10 MiB when 0.
	BodyLimitBytes int64 `json:"bodyLimitBytes,omitempty"`
	// Signature overrides the scheme's parameters, for providers whose
	// definition allows it (the generic HMAC provider).
	Signature *Signature `json:"signature,omitempty"`
	// MaxAttempts is how many times a handler may run before its event is
	// dead-lettered (8); Events overrides it per event type.
	MaxAttempts int                 `json:"maxAttempts,omitempty"`
	Events      map[string]EventSet `json:"events,omitempty"`
	// RateLimit caps this provider's verified deliveries (429 beyond):
	// counted after the signature checks out, so strangers cannot spend it.
	RateLimit *RateLimit `json:"rateLimit,omitempty"`
	// IPAllowlist, when not empty, accepts deliveries only from these CIDRs
	// or addresses, or a provider's published ranges by name (see
	// webhooks/ipranges); 403 for anyone else. Off by default.
	IPAllowlist []string `json:"ipAllowlist,omitempty"`
}

// EventSet holds per-event-type settings.
type EventSet struct {
	MaxAttempts int `json:"maxAttempts,omitempty"`
}

// DefaultMaxAttempts is the attempts a handler gets when config says nothing.
const DefaultMaxAttempts = 8

// MaxAttempts returns the attempts for an event type of a provider.
func (f *File) MaxAttempts(provider, eventType string) int {
	p := f.Providers[provider]
	if n := p.Events[eventType].MaxAttempts; n > 0 {
		return n
	}
	if p.MaxAttempts > 0 {
		return p.MaxAttempts
	}
	return DefaultMaxAttempts
}

// Signature holds the overridable parameters of an HMAC scheme.
type Signature struct {
	Header    string `json:"header,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
	Prefix    string `json:"prefix,omitempty"`
}

// IsEnabled reports whether the provider is served.
func (p Provider) IsEnabled() bool { return p.Enabled == nil || *p.Enabled }

// Tolerance returns the configured window, or def.
func (p Provider) Tolerance(def time.Duration) time.Duration {
	if p.ToleranceSeconds > 0 {
		return time.Duration(p.ToleranceSeconds) * time.Second
	}
	return def
}

// Load reads the file strictly: an unknown key is an error, since a typo in a
// security setting must not pass silently.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, b)
}

// Parse decodes the file's bytes; name is used in errors.
func Parse(name string, b []byte) (*File, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var f File
	if err := d.Decode(&f); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("config %s: trailing data after the JSON object", name)
	}
	if f.Providers == nil {
		f.Providers = map[string]Provider{}
	}
	return &f, nil
}

// EnvName is the environment variable of a provider's credential:
// EnvName("generic-hmac", "WEBHOOK_SECRET") is GENERIC_HMAC_WEBHOOK_SECRET.
func EnvName(provider, credential string) string {
	return strings.ToUpper(strings.ReplaceAll(provider, "-", "_")) + "_" + credential
}

// Secrets reads a comma-separated list of secrets from the variable, so a
// secret can be rotated by listing the new one beside the old. A missing or
// empty variable is an error naming it (never its value).
func Secrets(getenv func(string) string, variable string) ([][]byte, error) {
	var out [][]byte
	for _, s := range strings.Split(getenv(variable), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, []byte(s))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is not set: set it to the provider's signing secret (several, comma-separated, while rotating)", variable)
	}
	return out, nil
}
