package store

import (
	"context"
	"fmt"
	"time"
)

// OpenPairing lets provider hand over one secret in a handshake until the
// given time (server pair PROVIDER). A handshake outside a window is
// refused, so a stranger who knows the URL cannot plant a secret of their
// own.
func (s *Store) OpenPairing(ctx context.Context, provider string, until time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO webhook_pairing (provider, until_at) VALUES ($1, $2)
		ON CONFLICT (provider) DO UPDATE SET until_at = excluded.until_at`, provider, until.UnixMicro())
	if err != nil {
		return fmt.Errorf("%w: open pairing: %v", ErrUnavailable, err)
	}
	return nil
}

// Pair stores a secret handed over in a handshake if a pairing window is
// open for the provider, and closes the window: one secret per window. It
// reports whether the secret was taken.
func (s *Store) Pair(ctx context.Context, provider, secret string, now time.Time) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("%w: pair: %v", ErrUnavailable, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM webhook_pairing WHERE provider = $1 AND until_at > $2`, provider, now.UnixMicro())
	if err != nil {
		return false, fmt.Errorf("%w: pair: %v", ErrUnavailable, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_secret (provider, secret, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (provider, secret) DO NOTHING`, provider, secret, now.UnixMicro()); err != nil {
		return false, fmt.Errorf("%w: pair: %v", ErrUnavailable, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("%w: pair: %v", ErrUnavailable, err)
	}
	return true, nil
}

// Secrets are the secrets a provider handed over, newest first.
func (s *Store) Secrets(ctx context.Context, provider string) ([][]byte, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT secret FROM webhook_secret WHERE provider = $1 ORDER BY created_at DESC`, provider)
	if err != nil {
		return nil, fmt.Errorf("%w: secrets: %v", ErrUnavailable, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, []byte(v))
	}
	return out, rows.Err()
}

// Unpair forgets every secret a provider handed over (after deleting the
// webhook at the provider).
func (s *Store) Unpair(ctx context.Context, provider string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM webhook_secret WHERE provider = $1`, provider)
	if err != nil {
		return 0, fmt.Errorf("%w: unpair: %v", ErrUnavailable, err)
	}
	return res.RowsAffected()
}
