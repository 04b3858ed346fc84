package sqlite

import (
	"context"
	"database/sql"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// MigrateTypes runs the step of the stored types' migration
// (documentedTypesVersion) on db in a transaction of its own, as apply
// runs it after the migration's SQL.
func MigrateTypes(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := storesql.DocumentTypes(ctx, storesql.SQLite, txQuery(tx), txExec(tx)); err != nil {
		return err
	}
	return tx.Commit()
}
