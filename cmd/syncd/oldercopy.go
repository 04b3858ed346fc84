package main

import (
	"context"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// markOlderCopy takes the SQLite database db for a restored backup when it
// is older than the erasure log beside it says it must be: the log records
// an erasure made on it (since the daemon first ran on it and, on a
// restored backup, since its first start) that its audit lacks. syncd
// backup marks its copies with when they were taken; a copy made
// otherwise (cp of a running daemon's syncd.db, with or without its -wal;
// a disk snapshot) and put back started as the database it replaced: the
// people erased since held again and sent to the CRM, event ids given
// again, reports made since made and mailed again. Marked, it is a backup
// taken at the newest thing it records, which the first writer and the
// daemon's first start treat as such. Without an erasure made since the
// copy was, nothing tells (README: Backup).
func markOlderCopy(ctx context.Context, cfg *config.Config, db *sqlite.DB) error {
	_, entries, err := readErasureLog(erasureLogPath(cfg))
	if err != nil || len(entries) == 0 {
		return nil // an unreadable log is said where it is read (erase, the first start on a backup)
	}
	since, ok, err := ownErasuresSince(ctx, db)
	if err != nil || !ok {
		return err
	}
	erased, err := db.ErasuresSince(ctx, since)
	if err != nil {
		return err
	}
	// By microsecond, the audit's precision: a search of the list for each
	// entry took half a second of CPU at 10,000 erasures, at every command
	// that writes.
	audited := make(map[int64]bool, len(erased))
	for _, at := range erased {
		audited[at.UnixMicro()] = true
	}
	for _, e := range entries {
		at := e.At.Truncate(time.Microsecond)
		if !at.After(since) || audited[at.UnixMicro()] {
			continue
		}
		_, err := db.MarkOlderCopy(ctx, since, "the erasure log beside it records an erasure at "+syncd.FormatTime(e.At)+
			" that the database lacks")
		return err
	}
	return nil
}

// ownErasuresSince is from when the erasure log's entries are db's own
// erasures: since the daemon first ran on it and, on a restored backup,
// since its first start (the erasures the restore undid are not in it).
// Not ok: nothing to compare, no daemon having run on it yet, or a
// restored backup not served yet, whose first start reads the log.
func ownErasuresSince(ctx context.Context, db *sqlite.DB) (time.Time, bool, error) {
	since, err := db.FirstRun(ctx)
	if err != nil || since.IsZero() {
		return time.Time{}, false, err
	}
	taken, at, err := restoreState(ctx, db)
	if err != nil || !taken.IsZero() && at.IsZero() {
		return time.Time{}, false, err
	}
	if at.After(since) {
		since = at
	}
	return since, true, nil
}
