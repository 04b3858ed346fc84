package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// restored says whether the database is a backup put back in place:
// `syncd backup` records in its copy when it was taken. The first start on
// such a copy records when it first served it and tells the operator what
// the backup lacks; the reporter then keeps the workbooks made between the
// two, which the copy does not record. Zero times: not a restored backup.
func restored(ctx context.Context, st store, log zerolog.Logger) (taken, at time.Time, err error) {
	v, ok, err := st.StateValue(ctx, sqlite.StateBackupTaken)
	if err != nil || !ok {
		return time.Time{}, time.Time{}, err
	}
	if taken, err = syncd.ParseTime(v); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("backup taken at: %w", err)
	}
	if v, ok, err = st.StateValue(ctx, sqlite.StateRestoredAt); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if ok {
		at, err = syncd.ParseTime(v)
		return taken, at, err
	}
	at = time.Now()
	if err := st.SetStateValue(ctx, sqlite.StateRestoredAt, syncd.FormatTime(at)); err != nil {
		return time.Time{}, time.Time{}, err
	}
	log.Warn().Time("backup_taken_at", taken).
		Msg("database restored from a backup: what was received after it was taken is not in it " +
			"(deliveries the senders retry are stored again); CRM operations sent since go again " +
			"(their records are found in the CRM, not made twice); reports made since are kept in report.dir, not made or mailed again")
	return taken, at, nil
}
