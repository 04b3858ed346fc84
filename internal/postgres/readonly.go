package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// readOnlyTransaction is the server's refusal of a write in a session that
// takes none: "cannot execute DELETE in a read-only transaction".
const readOnlyTransaction = "25006"

// readOnlyRefused reports whether err is a write the server refused for
// a session that takes no writes (readOnly says why).
func readOnlyRefused(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == readOnlyTransaction
}

// readOnly says why the server takes none of syncd's writes in a session
// of user on database, with the fix, or "" when it takes them: a standby
// in recovery (a single-host DSN left on the old primary after a
// failover, or a read replica's endpoint), or default_transaction_read_only
// set on the role or the database. Either passed validate and then failed
// serve's first write, "cannot execute INSERT in a read-only transaction".
func readOnly(ctx context.Context, q rowQueryer, user, database string) (string, error) {
	var recovery bool
	var dflt string
	err := q.QueryRow(ctx, `SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only')`).
		Scan(&recovery, &dflt)
	switch {
	case err != nil:
		return "", fmt.Errorf("read whether the database takes writes: %w", err)
	case recovery:
		return "the server is a standby, in recovery: point the DSN at the primary, or list every host with " +
			"target_session_attrs=read-write", nil
	case dflt == "on":
		return fmt.Sprintf("default_transaction_read_only is on for user %s or database %s (or the DSN's options): "+
			"ALTER ROLE %s SET default_transaction_read_only = off, or ALTER DATABASE %s SET default_transaction_read_only = off, "+
			"whichever set it", user, database, user, database), nil
	}
	return "", nil
}

// TakesNoWrites says why the database takes none of syncd's writes in
// this pool's sessions, with the fix (readOnly), or "" when it takes
// them: for a command that only reads (syncd status), which opens such a
// database and says so.
func (db *DB) TakesNoWrites(ctx context.Context) (string, error) {
	return readOnly(ctx, db.pool, db.cfg.User, db.cfg.Database)
}
