package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store/storetest"
)

// BenchmarkAccept measures acknowledged events per second through Accept
// (inbox rows, group-committed, while workers run a no-op handler and record
// its outcomes beside them) from 16 concurrent
// callers, and a lone caller's latency, against a baseline in the same run
// and database: a bare single-row INSERT and commit per event.
//
//	go test ./templates/runtime/store -run XXX -bench Accept -benchtime 3s
//	(TEST_DATABASE_URL=postgres://... adds Postgres)
func BenchmarkAccept(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			url, dir := storetest.Backend{Name: name}.Fresh(b)
			s, err := Open(context.Background(), Options{DatabaseURL: url, DataDir: dir,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Processor: &handler{calls: map[string]int{}}})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer s.Stop(context.Background())
			if _, err := s.db.Exec(`CREATE TABLE bench_baseline (id TEXT PRIMARY KEY, body BYTEA NOT NULL)`); err != nil {
				b.Fatal(err)
			}
			body := make([]byte, 1024)
			var seq atomic.Int64
			baseline := func() error {
				tx, err := s.db.Begin()
				if err == nil {
					_, err = tx.Exec(`INSERT INTO bench_baseline (id, body) VALUES ($1, $2)`, fmt.Sprint(seq.Add(1)), body)
				}
				if err == nil {
					err = tx.Commit()
				}
				return err
			}
			accept := func() error {
				ev := newEvent(fmt.Sprintf("evt_%d", seq.Add(1)), "payment_intent.succeeded")
				ev.Body = body
				_, err := s.Accept(context.Background(), ev)
				return err
			}
			for _, c := range []struct {
				name string
				f    func() error
			}{{"baseline-insert", baseline}, {"accept", accept}} {
				// 16 concurrent callers on 2 cores, as concurrent deliveries.
				b.Run(c.name+"-16-callers", func(b *testing.B) {
					b.SetParallelism(8)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := c.f(); err != nil {
								b.Error(err)
								return
							}
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
				})
				// One caller at a time: the latency of a lone delivery, which
				// group commit must not hold back.
				b.Run(c.name+"-lone", func(b *testing.B) {
					for b.Loop() {
						if err := c.f(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
