package main

import (
	"fmt"
	"io"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// pgBackupKinds are the copies of a PostgreSQL database that hold what
// syncd erased or purged there: syncd makes none of them (syncd backup
// works on SQLite only) and knows of none.
const pgBackupKinds = "pg_dump files, base backups, WAL archives, standbys"

// unknownCopies names the copies of the database syncd cannot reach nor
// tell of: on SQLite those syncd backup did not make (it names the others
// itself); on PostgreSQL every backup.
func unknownCopies(cfg *config.Config) string {
	if cfg.Store.Kind == config.StorePostgres {
		return "the PostgreSQL database's backups and copies, which syncd neither makes nor knows (" + pgBackupKinds + ")"
	}
	return "backups and replicas syncd backup did not make (cp, Litestream, disk snapshots)"
}

// shortestRetention is the shortest of the retention's days for personal
// data (event bodies, quarantined bodies, CRM operations; 0 keeps for
// ever) and its setting's name: a backup taken longer ago holds what the
// retention no longer keeps. days is 0 when all keep for ever.
func shortestRetention(keep syncd.Retention) (setting string, days int) {
	for _, r := range []struct {
		name string
		keep time.Duration
	}{{"retention.event_days", keep.Events}, {"retention.quarantine_days", keep.Quarantine}, {"retention.outbox_days", keep.Outbox}} {
		if d := int(r.keep / (24 * time.Hour)); d > 0 && (days == 0 || d < days) {
			setting, days = r.name, d
		}
	}
	return setting, days
}

// pgBackupsPast tells, on PostgreSQL, which backups the purge cannot
// reach: syncd knows none there, so it names their kinds and the age
// past which they hold what the retention no longer keeps (on SQLite
// saidBackupsPast names the backups themselves).
func pgBackupsPast(w io.Writer, cfg *config.Config) {
	if cfg.Store.Kind != config.StorePostgres {
		return
	}
	if msg := pgBackupsPastText(retentionOf(cfg.Retention, 0)); msg != "" {
		fmt.Fprintf(w, "backups: %s\n", msg)
	}
}

// pgBackupsPastText is what `syncd purge` and the daemon's daily purge
// say of PostgreSQL's backups under the retention keep: "" when it keeps
// personal data for ever.
func pgBackupsPastText(keep syncd.Retention) string {
	setting, days := shortestRetention(keep)
	if days == 0 {
		return ""
	}
	return fmt.Sprintf("syncd makes and knows none on PostgreSQL: those of the database (%s) taken more than %s ago (%s) "+
		"hold what the retention no longer keeps, out of syncd's reach: delete them, and keep backups for less", pgBackupKinds, dayCount(days), setting)
}
