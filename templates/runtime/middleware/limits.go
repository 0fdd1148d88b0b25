package middleware

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rejecter answers a request refused before any provider logic, so the
// refusal is counted and logged like the others.
type Rejecter func(w http.ResponseWriter, r *http.Request, status int, reason string, retryAfter time.Duration)

// Concurrency answers 503 at once beyond max requests in flight, so a flood
// cannot exhaust memory or file descriptors behind a queue of its own making.
func Concurrency(max int, reject Rejecter, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		default:
			reject(w, r, http.StatusServiceUnavailable, "overload", time.Second)
		}
	})
}

// Limiter is a token bucket per client address, for requests before their
// body is read. Idle buckets are dropped, so memory stays bounded.
type Limiter struct {
	limit rate.Limit
	burst int
	mu    sync.Mutex
	seen  map[netip.Addr]*bucket
	swept time.Time
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

// maxBuckets bounds the table; past it, the oldest idle buckets go first.
const maxBuckets = 100_000

// NewLimiter allows perSecond requests per client, with bursts of burst.
func NewLimiter(perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = int(math.Max(1, math.Ceil(perSecond)))
	}
	return &Limiter{limit: rate.Limit(perSecond), burst: burst, seen: map[netip.Addr]*bucket{}}
}

// Allow takes a token for ip, or says how long until one is free.
func (l *Limiter) Allow(ip netip.Addr, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute || len(l.seen) >= maxBuckets {
		l.sweep(now)
	}
	b, ok := l.seen[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.seen[ip] = b
	}
	b.last = now
	return Take(b.lim, now)
}

// sweep drops buckets idle long enough to be full again.
func (l *Limiter) sweep(now time.Time) {
	idle := time.Duration(float64(l.burst)/float64(l.limit)*float64(time.Second)) + time.Minute
	for ip, b := range l.seen {
		if now.Sub(b.last) > idle || len(l.seen) >= maxBuckets {
			delete(l.seen, ip)
		}
	}
	l.swept = now
}

// Take takes a token from lim, or returns how long until one is free.
func Take(lim *rate.Limiter, now time.Time) (bool, time.Duration) {
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// PerClient refuses a client over its rate with 429 and Retry-After.
func PerClient(l *Limiter, reject Rejecter, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.Allow(ClientIP(r.Context()), time.Now()); !ok {
			reject(w, r, http.StatusTooManyRequests, "rate", wait)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RetryAfter writes the Retry-After header in whole seconds, at least 1.
func RetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Max(1, math.Ceil(d.Seconds())))))
}
