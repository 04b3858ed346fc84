package sqlite

// This file runs the statements both stores share (storesql) in a
// transaction of this store.

import (
	"context"
	"database/sql"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// txExec runs the statements of storesql in tx.
func txExec(tx *sql.Tx) storesql.Exec {
	return func(ctx context.Context, query string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
}

// txRow runs the one-row queries of storesql in tx.
func txRow(tx *sql.Tx) storesql.QueryRow {
	return func(ctx context.Context, query string, args ...any) storesql.Row {
		return tx.QueryRowContext(ctx, query, args...)
	}
}

// txQuery runs the many-row queries of storesql in tx.
func txQuery(tx *sql.Tx) storesql.Query {
	return func(ctx context.Context, query string, each func(storesql.Rows) error, args ...any) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		return storesql.ForEach(rows, func() { rows.Close() }, each)
	}
}
