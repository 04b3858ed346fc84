package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = storesql.DropUnsentOps(ctx, storesql.SQLite, txQuery(tx), txRow(tx), target, db.now(), erasures)
		return err
	})
	if err != nil {
		return syncd.DroppedOps{}, fmt.Errorf("drop unsent ops: %w", err)
	}
	return d, nil
}

// ReadOutboxDepths reads the outbox depths of the database at path, opened
// read-only: nothing is migrated or created (syncd validate, which may run
// a newer syncd before it is installed). A database of another schema
// than this binary's is an error.
func ReadOutboxDepths(ctx context.Context, path string) ([]syncd.OutboxDepth, error) {
	db, err := OpenToRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("read outbox depths: %w", err)
	}
	defer db.Close()
	return db.OutboxDepths(ctx)
}

// OpenToRead opens the database at path read-only, as ReadOutboxDepths
// does: nothing is migrated or created, and every write fails. A database
// of another schema than this binary's is an error.
func OpenToRead(ctx context.Context, path string) (*DB, error) {
	return openReadOnly(ctx, path, Options{BusyTimeout: 5 * time.Second, ReadConns: 1}, errOnlyReads)
}

// errOnlyReads is why OpenToRead opens the database read-only.
var errOnlyReads = errors.New("only read")

// LeadsOnlyFor counts the leads that reached target and have no
// operation for other, those whose bodies are held apart from those the
// retention purged: the dry run's leads no replay mapped for the CRM
// configured since.
func (db *DB) LeadsOnlyFor(ctx context.Context, target, other string) (syncd.OnlyFor, error) {
	var f syncd.OnlyFor
	if err := db.r.QueryRowContext(ctx, storesql.SQLite(storesql.LeadsOnlyFor), target, other).Scan(&f.Held, &f.First, &f.Purged, &f.LastPurged); err != nil {
		return syncd.OnlyFor{}, fmt.Errorf("leads only for %s: %w", target, err)
	}
	return f, nil
}
