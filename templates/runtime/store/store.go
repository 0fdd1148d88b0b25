// Package store is the durable inbox: every accepted event is recorded in one
// transaction before the sender is answered, then its handler runs, and the
// inbox records what became of it. A new event is handed to the workers in
// memory (memqueue.go); River runs everything that must be scheduled
// durably: retries, replays, overflow and rescued events.
//
// The same code serves SQLite (embedded, the default) and Postgres, both
// through database/sql and River's drivers for it (riversqlite and
// riverdatabasesql), so that the inbox and River share one transaction type,
// *sql.Tx, and one code path. The price: River cannot LISTEN/NOTIFY through
// database/sql, so workers poll (PollInterval, 50 ms by default).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
)

// Processor runs an event's handler (processors.Dispatcher).
type Processor interface {
	Process(ctx context.Context, ev *event.Event) error
}

// Observer is told the outcome of every handler run (metrics):
// "processed", "retried", "dead" or "ignored".
type Observer interface {
	Processed(provider, outcome string, latency time.Duration)
}

// Options configures Open. Zero values take the defaults.
type Options struct {
	// DatabaseURL selects the store: "" is SQLite at DataDir/webhooks.db,
	// postgres://... is Postgres.
	DatabaseURL string
	DataDir     string // "data"
	// SQLiteSynchronous is SQLite's synchronous pragma. FULL (the default)
	// makes every acknowledged event survive a power cut; NORMAL is faster
	// and can lose the last acknowledged events on power loss (not on a crash).
	SQLiteSynchronous string
	Logger            *slog.Logger
	Processor         Processor
	// Check runs before the handler (the payload's schema): an error
	// dead-letters the event, with it as the reason, and the handler does
	// not run. Checking here rather than before the acknowledgement keeps
	// it off the receive path; the answer is the same 2xx either way,
	// since a retry cannot fix a payload.
	Check    func(*event.Event) error
	Observer Observer
	// MaxAttempts returns how many times an event's handler may run before
	// the event is dead-lettered (config: per provider and event type).
	MaxAttempts func(provider, eventType string) int
	// RetryBase is the first retry's delay; each further one doubles, with
	// jitter, up to an hour.
	RetryBase time.Duration // 1s
	// Workers is how many handlers run at once for new events, and again as
	// many for River's jobs (retries, replays, overflow).
	Workers int // 50
	// MemoryQueue is how many accepted events may wait in memory for a
	// worker, MemoryQueueBytes how much they may hold (bodies and headers);
	// beyond either, new events get River jobs.
	MemoryQueue      int   // 4096
	MemoryQueueBytes int64 // 64 MiB
	// JobTimeout bounds one handler run; RescueAfter is when a job whose
	// worker died (the process was killed) is run again. It must exceed JobTimeout.
	JobTimeout   time.Duration // 1m
	RescueAfter  time.Duration // JobTimeout + 30s
	PollInterval time.Duration // 50ms
	// Retention is how long processed and ignored events are kept.
	Retention time.Duration // 30 days
	// PurgeInterval is how often old events are purged.
	PurgeInterval time.Duration // 1h
	// GroupMax caps the events one commit holds (256); GroupWindow is how
	// long a commit waits for more after the first (0: it takes only what
	// queued while the previous commit ran, so a lone event waits for nothing).
	GroupMax    int
	GroupWindow time.Duration
}

func (o *Options) defaults() {
	if o.DataDir == "" {
		o.DataDir = "data"
	}
	if o.SQLiteSynchronous == "" {
		o.SQLiteSynchronous = "FULL"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxAttempts == nil {
		o.MaxAttempts = func(string, string) int { return 8 }
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.Workers <= 0 {
		// Handlers mostly wait (on APIs, databases); 50 keeps processing up
		// with acceptance under load where 10 fell behind (make bench).
		o.Workers = 50
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = time.Minute
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + 30*time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 50 * time.Millisecond
	}
	if o.Retention <= 0 {
		o.Retention = 30 * 24 * time.Hour
	}
	if o.PurgeInterval <= 0 {
		o.PurgeInterval = time.Hour
	}
	if o.MemoryQueue <= 0 {
		o.MemoryQueue = 4096
	}
	if o.MemoryQueueBytes <= 0 {
		o.MemoryQueueBytes = 64 << 20
	}
	if o.GroupMax <= 0 {
		o.GroupMax = 256
	}
}

// Store is the inbox and its workers.
type Store struct {
	db       *sql.DB
	dialect  dialect
	opts     Options
	log      *slog.Logger
	client   *river.Client[*sql.Tx]
	accepts  *batcher[*event.Event, bool]
	finishes *batcher[finishReq, struct{}]
	mem      *memQueue
	// reads serves queries that write nothing: with SQLite, a pool of its
	// own (WAL lets readers run beside the one writer); with Postgres, db.
	reads *sql.DB
	// prepared keeps SQLite's statements of variable shape (a batch's
	// insert) compiled on its one writer connection; parsing them anew was
	// a quarter of the insert's CPU (make bench -profile). Postgres needs
	// none: pgx caches every statement on its connection.
	prepared sync.Map // SQL text → *sql.Stmt
}

// statement is a query to run in transactions: prepared on SQLite's writer
// connection, the text on Postgres.
type statement struct {
	q    string
	stmt *sql.Stmt // nil on Postgres
}

func (st statement) query(ctx context.Context, tx *sql.Tx, args ...any) (*sql.Rows, error) {
	if st.stmt != nil {
		return tx.StmtContext(ctx, st.stmt).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, st.q, args...)
}

func (st statement) exec(ctx context.Context, tx *sql.Tx, args ...any) error {
	var err error
	if st.stmt != nil {
		_, err = tx.StmtContext(ctx, st.stmt).ExecContext(ctx, args...)
	} else {
		_, err = tx.ExecContext(ctx, st.q, args...)
	}
	return err
}

// prepare returns q as a statement, prepared once on SQLite. Call it outside
// a transaction: preparing needs the connection a transaction holds.
func (s *Store) prepare(ctx context.Context, q string) (statement, error) {
	if s.dialect != sqlite {
		return statement{q: q}, nil
	}
	if st, ok := s.prepared.Load(q); ok {
		return statement{q, st.(*sql.Stmt)}, nil
	}
	p, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return statement{}, err
	}
	if st, loaded := s.prepared.LoadOrStore(q, p); loaded {
		p.Close()
		p = st.(*sql.Stmt)
	}
	return statement{q, p}, nil
}

// anys is ids as query arguments.
func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// placeholders lists n parameters from $first: "$3, $4, $5".
func placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// ErrUnavailable wraps every failure to reach or write the database, which
// the receive path answers with 503 so the provider retries.
var ErrUnavailable = errors.New("store unavailable")

// Open connects, runs the migrations (River's and the inbox's) and prepares
// the workers; Start runs them.
func Open(ctx context.Context, o Options) (*Store, error) {
	o.defaults()
	s := &Store{opts: o, log: o.Logger, mem: newMemQueue(o.MemoryQueue, o.MemoryQueueBytes)}
	var err error
	switch {
	case o.DatabaseURL == "":
		s.dialect = sqlite
		s.db, err = openSQLite(o.DataDir, o.SQLiteSynchronous)
		if err == nil {
			s.reads, err = openSQLiteReads(o.DataDir)
		}
	case strings.HasPrefix(o.DatabaseURL, "postgres://"), strings.HasPrefix(o.DatabaseURL, "postgresql://"):
		s.dialect = postgres
		s.db, err = sql.Open("pgx", o.DatabaseURL)
		s.reads = s.db
		if err == nil {
			s.db.SetMaxOpenConns(max(o.Workers+10, 20))
			s.db.SetMaxIdleConns(max(o.Workers+10, 20))
			s.db.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return nil, fmt.Errorf("DATABASE_URL must be empty (SQLite) or postgres://...; got scheme %q", scheme(o.DatabaseURL))
	}
	if err != nil {
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	if err := s.init(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	// SQLite has one writer: one committer each. Postgres commits in parallel.
	committers := 1
	if s.dialect == postgres {
		committers = 4
	}
	s.accepts = newBatcher(committers, o.GroupMax, o.GroupWindow, s.acceptBatch)
	s.finishes = newBatcher(committers, o.GroupMax, 0, s.finishBatch)
	return s, nil
}

func (s *Store) closeDBs() error {
	s.prepared.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	err := s.db.Close()
	if s.reads != nil && s.reads != s.db {
		s.reads.Close()
	}
	return err
}

func scheme(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Scheme
	}
	return "?"
}

// openSQLite opens the database file in WAL mode. One connection: SQLite has
// one writer at a time anyway, and River's SQLite driver needs it to avoid
// SQLITE_BUSY between its own goroutines.
func openSQLite(dir, synchronous string) (*sql.DB, error) {
	switch strings.ToUpper(synchronous) {
	case "FULL", "NORMAL", "EXTRA":
	default:
		return nil, fmt.Errorf("SQLite synchronous must be FULL, EXTRA or NORMAL, not %q", synchronous)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	dsn := "file:" + filepath.ToSlash(filepath.Join(dir, "webhooks.db")) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(" + strings.ToUpper(synchronous) + ")" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	return db, nil
}

// openSQLiteReads opens read-only connections to the same file, so that
// reads do not queue behind the one writer connection.
func openSQLiteReads(dir string) (*sql.DB, error) {
	dsn := "file:" + filepath.ToSlash(filepath.Join(dir, "webhooks.db")) +
		"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// init migrates and builds the River client for the dialect.
func (s *Store) init(ctx context.Context) error {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &processWorker{s: s}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &purgeWorker{s: s}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &rescueWorker{s: s}); err != nil {
		return err
	}
	cfg := &river.Config{
		Logger:               riverLogger(s.log),
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: s.opts.Workers}},
		Workers:              workers,
		FetchPollInterval:    s.opts.PollInterval,
		FetchCooldown:        min(s.opts.PollInterval, 10*time.Millisecond),
		JobTimeout:           s.opts.JobTimeout,
		RescueStuckJobsAfter: s.opts.RescueAfter,
		RetryPolicy:          retryPolicy{base: s.opts.RetryBase},
		PollOnly:             true,
		// Completed River jobs are only bookkeeping: the inbox row is the record.
		CompletedJobRetentionPeriod: time.Hour,
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(s.opts.PurgeInterval),
			func() (river.JobArgs, *river.InsertOpts) { return purgeArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(max(s.opts.RescueAfter/2, time.Second)),
				func() (river.JobArgs, *river.InsertOpts) { return rescueArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true})},
	}
	var (
		migrator *rivermigrate.Migrator[*sql.Tx]
		err      error
	)
	if s.dialect == sqlite {
		drv := riversqlite.New(s.db)
		migrator, err = rivermigrate.New(drv, nil)
		if err == nil {
			s.client, err = river.NewClient(drv, cfg)
		}
	} else {
		drv := riverdatabasesql.New(s.db)
		migrator, err = rivermigrate.New(drv, nil)
		if err == nil {
			s.client, err = river.NewClient(drv, cfg)
		}
	}
	if err != nil {
		return err
	}
	return s.migrate(ctx, migrator)
}

// riverLogger passes on River's warnings and errors; its info lines (job
// counts every few seconds) would drown the one line per delivery.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(minLevel{log.Handler(), slog.LevelWarn}).With(slog.String("component", "river"))
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

func (m minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{m.Handler.WithAttrs(attrs), m.min}
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{m.Handler.WithGroup(name), m.min}
}

// Start runs the workers until Stop.
func (s *Store) Start(ctx context.Context) error {
	if err := s.client.Start(ctx); err != nil {
		return err
	}
	s.startMemQueue()
	return nil
}

// Stop lets running handlers finish (until ctx ends) and closes the database.
// Events whose handler did not finish are run again after a restart.
func (s *Store) Stop(ctx context.Context) error {
	s.accepts.close()
	// Both lanes stop together, each within ctx; River can still insert
	// the memory queue's hand-overs and retries once stopped.
	riverStopped := make(chan error, 1)
	go func() { riverStopped <- s.client.Stop(ctx) }() // running handlers finish through s.finishes
	err := s.stopMemQueue(ctx)
	if rerr := <-riverStopped; err == nil {
		err = rerr
	}
	s.finishes.close()
	if cerr := s.closeDBs(); err == nil {
		err = cerr
	}
	return err
}

// Close closes the database without starting or stopping workers (for the
// operator commands).
func (s *Store) Close() error {
	s.accepts.close()
	s.finishes.close()
	return s.closeDBs()
}

// Ready reports whether the database answers, for /readyz.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return string(s.dialect) }
