// Package storetest gives tests a database of their own: a temporary SQLite
// directory, or a fresh Postgres database on the server in TEST_DATABASE_URL.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// Backend is a kind of store: "sqlite" or "postgres".
type Backend struct {
	Name string
}

// Fresh returns an empty store of this kind for t alone: DatabaseURL is
// empty for SQLite, whose files go in DataDir.
func (b Backend) Fresh(t testing.TB) (databaseURL, dataDir string) {
	t.Helper()
	if b.Name == "postgres" {
		return Postgres(t), t.TempDir()
	}
	return "", t.TempDir()
}

// Each runs f once per kind of store: SQLite always, Postgres when
// TEST_DATABASE_URL is set. Without it the Postgres run is skipped with a
// message, or fails when REQUIRE_POSTGRES=true (as CI sets).
func Each(t *testing.T, f func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, Backend{Name: "sqlite"}) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("TEST_DATABASE_URL") == "" {
			Postgres(t) // skips, or fails when Postgres is required
		}
		f(t, Backend{Name: "postgres"})
	})
}

// Postgres gives the test a schema of its own on the TEST_DATABASE_URL
// server (cheaper than a database, so hundreds of tests stay fast) and
// returns a URL whose search_path selects it; the schema is dropped after.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("TEST_DATABASE_URL")
	if admin == "" {
		if os.Getenv("REQUIRE_POSTGRES") == "true" {
			t.Fatal("TEST_DATABASE_URL is not set, and REQUIRE_POSTGRES=true")
		}
		t.Skip("SKIPPED (needs Postgres): set TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run the Postgres tests too")
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 8)
	rand.Read(b)
	name := "webhooks_test_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create a test schema on TEST_DATABASE_URL: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
