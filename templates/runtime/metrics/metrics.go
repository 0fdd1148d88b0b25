// Package metrics exports the service's Prometheus metrics, on the admin
// listener only. Labels are providers' names and fixed reason words, never
// request data, so no one can grow them from outside.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Queue reports the events waiting for a handler and the oldest one's age.
type Queue func(ctx context.Context) (depth int, oldest time.Duration, err error)

// Metrics implements receive.Observer and store.Observer.
type Metrics struct {
	reg               *prometheus.Registry
	requests          *prometheus.CounterVec
	rejections        *prometheus.CounterVec
	duplicates        *prometheus.CounterVec
	handshakes        *prometheus.CounterVec
	acceptLatency     *prometheus.HistogramVec
	processed         *prometheus.CounterVec
	processingLatency *prometheus.HistogramVec
}

// New registers the metrics; queue feeds the queue gauges (nil: none).
func New(queue Queue) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "webhook_requests_total",
		Help: "Webhook deliveries answered, by provider and HTTP status."}, []string{"provider", "status"})
	m.rejections = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "webhook_rejections_total",
		Help: "Deliveries refused or dead-lettered, by reason: signature, stale, rate, ip, size, schema, malformed, method, timeout, overload, store, unknown_provider."},
		[]string{"provider", "reason"})
	m.duplicates = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "webhook_duplicates_total",
		Help: "Deliveries of events already received (acknowledged, not processed again)."}, []string{"provider"})
	m.handshakes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "webhook_handshakes_total",
		Help: "Provider handshakes answered."}, []string{"provider"})
	m.acceptLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "webhook_accept_duration_seconds",
		Help:    "Time from request to response, for deliveries answered 2xx.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"provider"})
	m.processed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "webhook_events_processed_total",
		Help: "Handler runs by outcome: processed, retried, dead, ignored."}, []string{"provider", "outcome"})
	m.processingLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "webhook_processing_duration_seconds",
		Help:    "Time a handler run took.",
		Buckets: prometheus.ExponentialBuckets(.001, 4, 10)}, []string{"provider"})
	for _, c := range []prometheus.Collector{m.requests, m.rejections, m.duplicates, m.handshakes, m.acceptLatency, m.processed, m.processingLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		f(c)
	}
	if queue != nil {
		f(&queueCollector{queue: queue,
			depth: prometheus.NewDesc("webhook_queue_depth", "Events stored and waiting for a handler (received or failed).", nil, nil),
			age:   prometheus.NewDesc("webhook_queue_oldest_pending_age_seconds", "Age of the oldest event waiting for a handler.", nil, nil),
		})
	}
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Delivery implements receive.Observer.
func (m *Metrics) Delivery(provider string, status int, reason string, latency time.Duration) {
	m.requests.WithLabelValues(provider, strconv.Itoa(status)).Inc()
	switch reason {
	case "accepted":
		m.acceptLatency.WithLabelValues(provider).Observe(latency.Seconds())
	case "duplicate":
		m.duplicates.WithLabelValues(provider).Inc()
		m.acceptLatency.WithLabelValues(provider).Observe(latency.Seconds())
	case "handshake":
		m.handshakes.WithLabelValues(provider).Inc()
	default:
		m.rejections.WithLabelValues(provider, reason).Inc()
	}
}

// Processed implements store.Observer.
func (m *Metrics) Processed(provider, outcome string, latency time.Duration) {
	m.processed.WithLabelValues(provider, outcome).Inc()
	m.processingLatency.WithLabelValues(provider).Observe(latency.Seconds())
}

type queueCollector struct {
	queue      Queue
	depth, age *prometheus.Desc
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.age }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depth, oldest, err := c.queue(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(depth))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, oldest.Seconds())
}
