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

// BenchmarkAccept measures acknowledged events per second through Accept (an
// inbox row and its River job, one transaction, committed) from 16 concurrent
// callers, against a baseline in the same run and database: a bare
// single-row INSERT and commit. The ratio is the price of the queue.
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
			defer s.Close()
			if _, err := s.db.Exec(`CREATE TABLE bench_baseline (id TEXT PRIMARY KEY, body BYTEA NOT NULL)`); err != nil {
				b.Fatal(err)
			}
			body := make([]byte, 1024)
			var seq atomic.Int64
			b.Run("baseline-insert", func(b *testing.B) {
				b.SetParallelism(8) // 16 callers on 2 cores
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						tx, err := s.db.Begin()
						if err == nil {
							_, err = tx.Exec(`INSERT INTO bench_baseline (id, body) VALUES ($1, $2)`, fmt.Sprint(seq.Add(1)), body)
						}
						if err == nil {
							err = tx.Commit()
						}
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
			b.Run("accept", func(b *testing.B) {
				b.SetParallelism(8)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						ev := newEvent(fmt.Sprintf("evt_%d", seq.Add(1)), "payment_intent.succeeded")
						ev.Body = body
						if _, err := s.Accept(context.Background(), ev); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		})
	}
}
