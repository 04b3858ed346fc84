package postgres

import (
	"context"
	"fmt"

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

// LeadsOnlyFor counts the leads that reached target and have no
// operation for other, those whose bodies are held apart from those the
// retention purged: the dry run's leads no replay mapped for the CRM
// configured since.
func (db *DB) LeadsOnlyFor(ctx context.Context, target, other string) (syncd.OnlyFor, error) {
	var f syncd.OnlyFor
	if err := db.pool.QueryRow(ctx, storesql.Dollar(storesql.LeadsOnlyFor), target, other).Scan(&f.Held, &f.First, &f.Purged, &f.LastPurged); err != nil {
		return syncd.OnlyFor{}, fmt.Errorf("leads only for %s: %w", target, err)
	}
	return f, nil
}
