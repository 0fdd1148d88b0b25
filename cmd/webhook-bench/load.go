package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/verify"
)

// stripeScheme is Stripe's signature as the generated service checks it:
// "Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
var stripeScheme = verify.TimestampedHMAC{
	Header: "Stripe-Signature", Algorithm: verify.SHA256, Encoding: verify.Hex,
	PairSeparator: ",", TimestampKey: "t", SignatureKey: "v1",
	SignedPayload: "{timestamp}.{body}", Unit: verify.Seconds, Tolerance: 5 * time.Minute,
}

// bodySize is every event's size: Stripe's events are around 1 KiB.
const bodySize = 1024

// events makes unique Stripe payment_intent.succeeded events of bodySize
// bytes, valid against the generated service's schema.
type events struct {
	nonce          string // per run, so ids never repeat across runs
	prefix, suffix []byte
}

const eventTemplate = `{"id":"%s","object":"event","api_version":"2024-06-20","created":1722349215,` +
	`"data":{"object":{"id":"pi_3PiKq2LkdIwHu7ix1q6jRnWd","object":"payment_intent","amount":2000,"amount_capturable":0,` +
	`"amount_received":2000,"capture_method":"automatic_async","client_secret":"pi_3PiKq2LkdIwHu7ix1q6jRnWd_secret_Qh1bNf9kVYlH0sFzqQ6m2X8aR",` +
	`"confirmation_method":"automatic","created":1722349214,"currency":"usd","customer":"cus_QZTnSuuUdAjBOt","description":"Order #1042",` +
	`"latest_charge":"ch_3PiKq2LkdIwHu7ix1dPq8Nrj","livemode":false,"metadata":{"order_id":"1042","note":"%s"},` +
	`"payment_method":"pm_1PiKq1LkdIwHu7ixU2M3kP0x","payment_method_types":["card"],"receipt_email":"jenny.rosen@example.com",` +
	`"status":"succeeded"}},"livemode":false,"pending_webhooks":1,` +
	`"request":{"id":"req_8Vn0Qm2QHkRk1c","idempotency_key":"5f1d7c1e-3b5a-4a9e-9a43-7c2b8d0e4f61"},"type":"payment_intent.succeeded"}`

func newEvents(nonce string) *events {
	g := &events{nonce: nonce}
	id := g.id(0)
	short := fmt.Sprintf(eventTemplate, id, "")
	note := strings.Repeat("x", max(bodySize-len(short), 0))
	full := fmt.Sprintf(eventTemplate, id, note)
	i := strings.Index(full, id)
	g.prefix, g.suffix = []byte(full[:i]), []byte(full[i+len(id):])
	return g
}

// id is the n-th event's id; all have the same length.
func (g *events) id(n int64) string { return fmt.Sprintf("evt_%s_%015d", g.nonce, n) }

// body appends the event with this id to dst[:0].
func (g *events) body(dst []byte, id string) []byte {
	dst = append(dst[:0], g.prefix...)
	dst = append(dst, id...)
	return append(dst, g.suffix...)
}

// loadSpec is one load run.
type loadSpec struct {
	addr     string // host:port
	clients  int
	duration time.Duration
	// dupPct of requests resend one of the client's acknowledged events (a
	// provider's retry, signed anew); forgedPct carry a wrong signature.
	dupPct, forgedPct int
	secret            []byte
	events            *events
	seq               *seqCounter
}

type seqCounter struct {
	mu sync.Mutex
	n  int64
}

func (s *seqCounter) next() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.n
}

// loadResult is what the clients saw.
type loadResult struct {
	elapsed   time.Duration
	latencies []time.Duration // sorted
	sent      int64
	accepted  int64 // 200, a new event
	duplicate int64 // 200, answered as a duplicate
	refused   int64 // 401 to a forged signature, as expected
	errors    int64 // transport failures and unexpected statuses
	errSample []string
	cpu       time.Duration // the load generator's own CPU time
}

func (r *loadResult) rps() float64 { return float64(r.sent) / r.elapsed.Seconds() }

type clientResult struct {
	latencies                               []time.Duration
	sent, accepted, duplicate, refused, err int64
	errSample                               []string
}

// runLoad sends from spec.clients connections, each one request at a time,
// until spec.duration has passed. Connections are dialled before the clock
// starts and kept alive.
func runLoad(ctx context.Context, spec loadSpec) (*loadResult, error) {
	conns := make([]*conn, spec.clients)
	for i := range conns {
		c, err := dial(spec.addr)
		if err != nil {
			for _, c := range conns[:i] {
				c.close()
			}
			return nil, err
		}
		conns[i] = c
	}
	results := make([]clientResult, spec.clients)
	cpu0 := selfCPU()
	start := time.Now()
	stop := start.Add(spec.duration)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runClient(ctx, spec, conns[i], uint64(i), stop)
		}()
	}
	wg.Wait()
	res := &loadResult{elapsed: time.Since(start), cpu: selfCPU() - cpu0}
	parts := make([][]time.Duration, len(results))
	for i, r := range results {
		parts[i] = r.latencies
		res.sent += r.sent
		res.accepted += r.accepted
		res.duplicate += r.duplicate
		res.refused += r.refused
		res.errors += r.err
		if len(res.errSample) < 5 {
			res.errSample = append(res.errSample, r.errSample...)
		}
	}
	res.latencies = sortedCopy(parts)
	return res, nil
}

func runClient(ctx context.Context, spec loadSpec, c *conn, n uint64, stop time.Time) clientResult {
	defer c.close()
	var r clientResult
	r.latencies = make([]time.Duration, 0, 1<<14)
	rng := rand.New(rand.NewPCG(n, uint64(time.Now().UnixNano())))
	mine := make([]string, 0, 1024) // this client's acknowledged ids, for duplicates
	h := http.Header{}
	var body []byte
	fail := func(format string, args ...any) {
		r.err++
		if len(r.errSample) < 2 {
			r.errSample = append(r.errSample, fmt.Sprintf(format, args...))
		}
	}
	for ctx.Err() == nil {
		now := time.Now()
		if !now.Before(stop) {
			break
		}
		roll := rng.IntN(100)
		forged := roll >= 100-spec.forgedPct
		var id string
		if roll < spec.dupPct && len(mine) > 0 {
			id = mine[rng.IntN(len(mine))]
		} else {
			id = spec.events.id(spec.seq.next())
		}
		body = spec.events.body(body, id)
		stripeScheme.Sign(h, body, spec.secret, now)
		sig := h.Get("Stripe-Signature")
		if forged {
			sig = "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + strings.Repeat("ab", 32)
		}
		status, dup, closed, err := c.post(sig, body)
		lat := time.Since(now)
		if err != nil || closed {
			if err != nil {
				fail("%v", err)
			}
			// Start again on a new connection.
			if derr := c.redial(); derr != nil {
				fail("%v", derr)
				time.Sleep(10 * time.Millisecond)
			}
			if err != nil {
				continue
			}
		}
		r.sent++
		r.latencies = append(r.latencies, lat)
		switch {
		case forged && status == http.StatusUnauthorized:
			r.refused++
		case !forged && status == http.StatusOK && dup:
			r.duplicate++
		case !forged && status == http.StatusOK:
			r.accepted++
			if len(mine) < cap(mine) {
				mine = append(mine, id)
			} else {
				mine[rng.IntN(len(mine))] = id
			}
		default:
			fail("forged=%v: status %d", forged, status)
		}
	}
	return r
}

// conn is one keep-alive HTTP/1.1 connection, written to directly: the
// load generator must cost much less than the server it measures, and
// net/http's client costs about as much as its server.
type conn struct {
	addr string
	nc   net.Conn
	br   *bufio.Reader
	buf  bytes.Buffer
	resp []byte
}

func dial(addr string) (*conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &conn{addr: addr, nc: nc, br: bufio.NewReaderSize(nc, 4096)}, nil
}

func (c *conn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

func (c *conn) redial() error {
	c.close()
	nc, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return err
	}
	c.nc = nc
	c.br.Reset(nc)
	return nil
}

var errNoConn = errors.New("no connection")

// post sends one delivery and reads the answer: its status, whether the
// body says it was a duplicate, and whether the server closed the connection.
func (c *conn) post(signature string, body []byte) (status int, dup, closed bool, err error) {
	if c.nc == nil {
		return 0, false, false, errNoConn
	}
	c.buf.Reset()
	c.buf.WriteString("POST /webhooks/stripe HTTP/1.1\r\nHost: ")
	c.buf.WriteString(c.addr)
	c.buf.WriteString("\r\nUser-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\nContent-Type: application/json; charset=utf-8\r\nStripe-Signature: ")
	c.buf.WriteString(signature)
	c.buf.WriteString("\r\nContent-Length: ")
	c.buf.WriteString(strconv.Itoa(len(body)))
	c.buf.WriteString("\r\n\r\n")
	c.buf.Write(body)
	c.nc.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.nc.Write(c.buf.Bytes()); err != nil {
		return 0, false, false, err
	}
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, false, false, err
	}
	c.resp, err = appendAll(c.resp[:0], res.Body)
	res.Body.Close()
	if err != nil {
		return 0, false, false, err
	}
	return res.StatusCode, bytes.Contains(c.resp, []byte(`"duplicate":true`)), res.Close, nil
}

func appendAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// selfCPU is this process's user and system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
