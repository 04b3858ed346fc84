package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// DropUnsentOps removes, in one transaction, the operations for target
// that never reached it: dead ones, and pending ones no syncer holds; erase
// operations only with erasures. The agency no longer uses that CRM
// (crm.kind names another), so they would wait for ever, and keep their
// events' bodies past the retention. It says what it dropped and left.
func (db *DB) DropUnsentOps(ctx context.Context, target string, erasures bool) (syncd.DroppedOps, error) {
	var d syncd.DroppedOps
	err := db.tx(ctx, "drop unsent ops", func(tx pgx.Tx) error {
		var err error
		d, err = storesql.DropUnsentOps(ctx, storesql.Dollar, txQuery(tx), txRow(tx), target, db.serverNow(), erasures)
		return err
	})
	if err != nil {
		return syncd.DroppedOps{}, err
	}
	return d, nil
}
