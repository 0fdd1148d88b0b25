// Package service is the service's command line: serve (the default),
// migrate, and the operator's events commands. cmd/server passes in what is
// generated per project (the HTTP handler and the dispatcher).
package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/config"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/event"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/metrics"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/receive"
	"github.com/create-webhook-handler/create-webhook-handler/templates/runtime/store"
)

// App is what a project plugs in.
type App struct {
	// Handler builds the public handler around the store.
	Handler func(cfg *config.File, d Deps) (http.Handler, error)
	// Processor runs handlers (processors.Dispatcher).
	Processor store.Processor
	// Check validates an event before its handler runs (schemas.Check).
	Check func(*event.Event) error
}

// Deps is what the public handler is built on.
type Deps struct {
	Acceptor receive.Acceptor
	Ready    func() error
	Logger   *slog.Logger
	Observer receive.Observer
	// Pairing keeps secrets providers hand over in a handshake (Asana).
	Pairing receive.Pairing
}

// Env is the process's surroundings, replaceable in tests.
type Env struct {
	Args           []string
	Getenv         func(string) string
	Stdout, Stderr io.Writer
	// Signals, when not nil, ends serve on receipt (SIGINT/SIGTERM otherwise).
	Signals <-chan os.Signal
}

// Main runs the command in os.Args and returns the exit code.
func Main(app App) int {
	return Run(app, Env{Args: os.Args[1:], Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr})
}

const usage = `usage:
  server                      serve webhooks on $PORT (default 8080)
  server migrate              create or update the database tables, then exit
  server events list [--state S] [--provider P] [--limit N]
  server events show ID
  server events replay ID... | --all-dead
  server events purge [--older-than 720h]
  server pair PROVIDER [--for 10m]   accept the secret PROVIDER hands over in its
                              next handshake (Asana's X-Hook-Secret)
  server unpair PROVIDER      forget the secrets PROVIDER handed over

environment: PORT, ADMIN_ADDR (metrics; default 127.0.0.1:9090, "off" for
none), DATABASE_URL (empty: SQLite under ./data), WEBHOOKS_CONFIG (default
config/webhooks.json), LOG_FORMAT (json, or text; default text on a terminal,
json otherwise), and each provider's secret variable (see README.md).
`

// Run is Main with its surroundings given.
func Run(app App, env Env) int {
	log := newLogger(env)
	slog.SetDefault(log) // handlers' slog calls share the format and the destination
	cmd := "serve"
	args := env.Args
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(app, env, log)
	case "migrate":
		err = withStore(env, log, app, func(ctx context.Context, s *store.Store) error {
			fmt.Fprintf(env.Stdout, "%s database is up to date\n", s.Dialect())
			return nil
		})
	case "events":
		err = events(app, env, log, args)
	case "pair", "unpair":
		err = pair(app, env, log, cmd, args)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	default:
		fmt.Fprintf(env.Stderr, "unknown command %q\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(env.Stderr, "%v\n%s", err, usage)
			return 2
		}
		log.Error("command failed", slog.String("command", cmd), slog.Any("error", err))
		return 1
	}
	return 0
}

type usageError struct{ error }

// newLogger logs JSON, or text when LOG_FORMAT=text or, with LOG_FORMAT
// unset, when stderr is a terminal (a person is reading).
func newLogger(env Env) *slog.Logger {
	format := env.Getenv("LOG_FORMAT")
	if format == "" && isTerminal(env.Stderr) {
		format = "text"
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewJSONHandler(env.Stderr, nil))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func loadConfig(env Env) (*config.File, error) {
	path := env.Getenv("WEBHOOKS_CONFIG")
	if path == "" {
		path = "config/webhooks.json"
	}
	return config.Load(path)
}

// StoreOptions turns config/webhooks.json and the environment into store options.
func StoreOptions(cfg *config.File, getenv func(string) string, log *slog.Logger, app App) store.Options {
	p := cfg.Processing
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	return store.Options{
		DatabaseURL:       getenv("DATABASE_URL"),
		DataDir:           "data",
		SQLiteSynchronous: p.SQLiteSynchronous,
		Logger:            log,
		Processor:         app.Processor,
		Check:             app.Check,
		MaxAttempts:       cfg.MaxAttempts,
		RetryBase:         ms(p.RetryBaseMillis),
		Workers:           p.Workers,
		MemoryQueue:       p.MemoryQueue,
		MemoryQueueBytes:  p.MemoryQueueBytes,
		GroupMax:          p.GroupCommitMax,
		GroupWindow:       time.Duration(p.GroupCommitWindowMicros) * time.Microsecond,
		JobTimeout:        time.Duration(p.JobTimeoutSeconds) * time.Second,
		RescueAfter:       time.Duration(p.RescueAfterSeconds) * time.Second,
		PollInterval:      ms(p.PollIntervalMillis),
		Retention:         time.Duration(p.RetentionDays) * 24 * time.Hour,
	}
}

func withStore(env Env, log *slog.Logger, app App, f func(context.Context, *store.Store) error) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := store.Open(ctx, StoreOptions(cfg, env.Getenv, log, app))
	if err != nil {
		return err
	}
	defer s.Close()
	return f(ctx, s)
}

func serve(app App, env Env, log *slog.Logger) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var s *store.Store
	m := metrics.New(func(ctx context.Context) (int, time.Duration, error) { return s.Pending(ctx) })
	opts := StoreOptions(cfg, env.Getenv, log, app)
	opts.Observer = m
	s, err = store.Open(ctx, opts)
	if err != nil {
		return err
	}
	if s.Dialect() == "sqlite" && runtime.GOMAXPROCS(0) < 2 && env.Getenv("GOMAXPROCS") == "" {
		// SQLite's commits block their thread in fsync; with one P (one
		// CPU) every request would wait them out instead of gathering into
		// the next group commit (make bench -server-env GOMAXPROCS=1: 2.7
		// times fewer deliveries accepted). An explicit GOMAXPROCS wins.
		runtime.GOMAXPROCS(2)
	}
	handler, err := app.Handler(cfg, Deps{Acceptor: s, Ready: func() error { return s.Ready(ctx) }, Logger: log, Observer: m, Pairing: s})
	if err != nil {
		s.Close()
		return err
	}
	admin, err := startAdmin(env, log, m)
	if err != nil {
		s.Close()
		return err
	}
	if err := s.Start(ctx); err != nil {
		s.Close()
		return err
	}
	port := env.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	sc := cfg.Server
	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           handler,
		ReadHeaderTimeout: config.Seconds(sc.ReadHeaderTimeoutSeconds, 10),
		ReadTimeout:       config.Seconds(sc.ReadTimeoutSeconds, 30),
		WriteTimeout:      config.Seconds(sc.WriteTimeoutSeconds, 30),
		IdleTimeout:       config.Seconds(sc.IdleTimeoutSeconds, 120),
		MaxHeaderBytes:    cmp.Or(sc.MaxHeaderBytes, 64<<10),
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	signals := env.Signals
	if signals == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(ch)
		signals = ch
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", slog.String("addr", srv.Addr), slog.String("store", s.Dialect()))
	select {
	case err = <-errc:
	case sig := <-signals:
		log.Info("shutting down", slog.String("signal", sig.String()))
	}
	// Stop accepting and finish in-flight requests, then let running handlers
	// finish; a handler still running at the deadline runs again after a
	// restart (at-least-once).
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutdownCtx); err == nil || errors.Is(err, http.ErrServerClosed) {
		err = serr
	}
	if serr := s.Stop(shutdownCtx); err == nil {
		err = serr
	}
	if admin != nil {
		admin.Shutdown(shutdownCtx)
	}
	return err
}

// startAdmin serves /metrics and /debug/pprof on ADMIN_ADDR (127.0.0.1:9090 unless set; "off"
// for none), apart from the public listener: metrics are not for strangers.
func startAdmin(env Env, log *slog.Logger, m *metrics.Metrics) (*http.Server, error) {
	addr := cmp.Or(env.Getenv("ADMIN_ADDR"), "127.0.0.1:9090")
	if addr == "off" {
		return nil, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	// Profiles for the operator (the admin address is loopback by default).
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("admin listener (ADMIN_ADDR=%s): %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	log.Info("admin listening", slog.String("addr", ln.Addr().String()))
	return srv, nil
}
