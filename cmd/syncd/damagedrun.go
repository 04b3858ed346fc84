package main

import (
	"errors"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// damagedMsg is the one line the daemon logs when SQLite finds its
// database damaged under it; each part's own failures follow as before.
const damagedMsg = "database found damaged under the daemon: what needs the damaged part fails until it is put right " +
	"(deliveries it cannot store answered 503, senders retry)"

// noteDamaged records err when it is SQLite finding the database file
// damaged under the running daemon (SQLITE_CORRUPT, "database disk image
// is malformed"), met by any part: intake, the mapping worker, the syncer,
// the metrics' outbox query. SQLite finds it only as a query reads the
// damaged page, mid-run: each part logged a bare "database disk image is
// malformed" again and again, while /readyz, the status line and syncd
// status said nothing of it. Now the first is logged once with the way out
// (the words of the check at start), syncd_database_damaged is 1, and
// systemd's status line and syncd status say so (NEEDS ATTENTION). It
// reports whether err is the damage: intake's store error lines, which
// repeated the whole way out every 10 s, leave it to that one line.
func (d *daemon) noteDamaged(err error) bool {
	if d.db == nil || err == nil {
		return false
	}
	err = sqlite.ExplainDamaged(d.db.where, err)
	if !errors.Is(err, sqlite.ErrDamaged) {
		return false
	}
	if !d.damagedSaid.CompareAndSwap(false, true) {
		return true
	}
	d.log.Error().Err(err).Str("db", d.db.where).Msg(damagedMsg)
	d.metrics.DatabaseDamaged()
	d.line.set(attnDatabase, "database DAMAGED: deliveries it cannot store answered 503 (syncd status says what to do)")
	return true
}
