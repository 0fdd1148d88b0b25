package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/rivermigrate"
)

type dialect string

const (
	sqlite   dialect = "sqlite"
	postgres dialect = "postgres"
)

// migrations are the inbox's schema changes, in order, per dialect. Append;
// never edit one that has shipped. Times are unix microseconds in both, so
// the queries need no dialect-specific date handling.
var migrations = map[dialect][]string{
	sqlite: {`
CREATE TABLE webhook_event (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	provider    TEXT    NOT NULL,
	event_id    TEXT    NOT NULL,
	event_type  TEXT    NOT NULL,
	state       TEXT    NOT NULL,
	reason      TEXT    NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	body        BLOB    NOT NULL,
	headers     TEXT    NOT NULL,
	received_at INTEGER NOT NULL,
	verified_at INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	UNIQUE (provider, event_id)
);
CREATE INDEX webhook_event_state ON webhook_event (state, updated_at);`, pairingTables, memoryQueue},
	postgres: {`
CREATE TABLE webhook_event (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	provider    TEXT   NOT NULL,
	event_id    TEXT   NOT NULL,
	event_type  TEXT   NOT NULL,
	state       TEXT   NOT NULL,
	reason      TEXT   NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	body        BYTEA  NOT NULL,
	headers     TEXT   NOT NULL,
	received_at BIGINT NOT NULL,
	verified_at BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	UNIQUE (provider, event_id)
);
CREATE INDEX webhook_event_state ON webhook_event (state, updated_at);`, pairingTables, memoryQueue},
}

// pairingTables hold the secrets providers hand over in a handshake (Asana's
// X-Hook-Secret) and the windows an operator opens to accept one; the same
// SQL in both dialects.
const pairingTables = `
CREATE TABLE webhook_secret (
	provider   TEXT   NOT NULL,
	secret     TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (provider, secret)
);
CREATE TABLE webhook_pairing (
	provider TEXT   NOT NULL PRIMARY KEY,
	until_at BIGINT NOT NULL
);`

// memoryQueue marks the events handed to workers in memory, without a River
// job (queued = 0), and indexes the ones still waiting that way, so that an
// event whose process died before it ran is found and given a job (rescue).
// Rows from before this migration all have jobs.
const memoryQueue = `
ALTER TABLE webhook_event ADD COLUMN queued SMALLINT NOT NULL DEFAULT 1;
CREATE INDEX webhook_event_unqueued ON webhook_event (updated_at) WHERE state = 'received' AND queued = 0;`

// migrationLock is the Postgres advisory lock that keeps replicas starting
// together from migrating at once.
const migrationLock = 7_361_942_015

func (s *Store) migrate(ctx context.Context, river *rivermigrate.Migrator[*sql.Tx]) error {
	if s.dialect == postgres {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}
	if _, err := river.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS webhook_schema (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate the inbox: %w", err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM webhook_schema`).Scan(&version); err != nil {
		return fmt.Errorf("migrate the inbox: %w", err)
	}
	all := migrations[s.dialect]
	if version > len(all) {
		return fmt.Errorf("the database is at inbox schema %d, newer than this build knows (%d): run a newer build", version, len(all))
	}
	for i := version; i < len(all); i++ {
		if _, err := tx.ExecContext(ctx, all[i]); err != nil {
			return fmt.Errorf("inbox migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_schema (version) VALUES ($1)`, i+1); err != nil {
			return err
		}
	}
	return tx.Commit()
}
