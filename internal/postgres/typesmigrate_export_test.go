package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
)

// MigrateTypes runs the step of the stored types' migration
// (documentedTypesVersion) on conn in a transaction of its own, as apply
// runs it after the migration's SQL.
func MigrateTypes(ctx context.Context, conn *pgx.Conn) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := storesql.DocumentTypes(ctx, storesql.Dollar, txQuery(tx), txExec(tx))
		return err
	})
}
