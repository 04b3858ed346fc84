package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// heldLeads keeps, of each instance's Leads (as its last heartbeat
// recorded them), only the parts whose lock some session holds now: the
// lock of an instance killed goes with its session at once, while its row
// named it leader until it aged out or the next leader's heartbeat came,
// so syncd status said a killed instance led the sync and the report.
func (db *DB) heldLeads(ctx context.Context, ins []syncd.Instance) error {
	rows, err := db.pool.Query(ctx, `SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		return fmt.Errorf("leads held: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("leads held: %w", err)
	}
	for i := range ins {
		ins[i].Leads = slices.DeleteFunc(ins[i].Leads, func(part string) bool { return !slices.Contains(keys, lockKey(part)) })
	}
	return nil
}
