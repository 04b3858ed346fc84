package postgres

// This file runs the statements both stores share (storesql) in a
// transaction of this store.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// txExec runs the statements of storesql in tx.
func txExec(tx pgx.Tx) storesql.Exec {
	return func(ctx context.Context, query string, args ...any) (int64, error) {
		tag, err := tx.Exec(ctx, query, args...)
		return tag.RowsAffected(), err
	}
}

// txRow runs the one-row queries of storesql in tx.
func txRow(tx pgx.Tx) storesql.QueryRow {
	return func(ctx context.Context, query string, args ...any) storesql.Row {
		return tx.QueryRow(ctx, query, args...)
	}
}

// txQuery runs the many-row queries of storesql in tx.
func txQuery(tx pgx.Tx) storesql.Query {
	return func(ctx context.Context, query string, each func(storesql.Rows) error, args ...any) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		return storesql.ForEach(rows, rows.Close, each)
	}
}
