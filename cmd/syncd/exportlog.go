package main

// An erasure log that does not read (its first line, the salt, cut by a
// crash as it was made; an owner or mode syncd cannot read it with) made
// every syncd export fail, exit 1, with "erasure log: …: no salt on its
// first line" and no word of what that meant or what to do, though the log
// adds to most exports only the erasures the audit holds under the
// person's other identifier and when an erasure made again was first made.
// Export now hands over what the database holds and says what it may lack
// and what to do, exit 5 (as syncd erase, whose erasure is done all the
// same); only on a restored SQLite backup, where the log alone tells what
// the restore holds again that an erasure removed, does it refuse (exit 5):
// an export there could hand over what the person had erased.

import (
	"context"

	"github.com/syncd-dev/syncd/internal/config"
)

// erasureLogAdvice is what to do of an erasure log that does not read, as
// syncd status and syncd export say it.
const erasureLogAdvice = "give it back to the user syncd runs as (mode 0600); a first line damaged, move it aside " +
	"(the next erase makes a new one) and run syncd erase again, from your record of the requests, for those erased " +
	"since the database's last backup"

// erasureLog is the erasure log beside the database of a configuration
// as one command read it, once: its salt and entries, or why it does not
// read. An export read it up to five times (whether it reads, the erasures
// a restore undid, those of the person's other identifiers, when one made
// again was first made, the backups holding what one removed), and an
// erase appending meanwhile could make those reads disagree.
type erasureLog struct {
	salt    string // "" when there is no log (or none can be: no data directory)
	entries []erasureEntry
	unread  error // why the log does not read; nil when it reads or there is none
}

// readLogOf reads the erasure log beside the database of cfg.
func readLogOf(cfg *config.Config) erasureLog {
	path := erasureLogPath(cfg)
	if path == "" {
		return erasureLog{}
	}
	salt, entries, err := readErasureLog(path)
	return erasureLog{salt: salt, entries: entries, unread: err}
}

// refusedLogUnread says why export refuses on db, a restored SQLite backup
// taken at taken, beside an erasure log that does not read (why).
func (c *cli) refusedLogUnread(taken string, why error) {
	c.errorf("refused: the database is a backup taken at %s, restored, and the erasure log beside it does not read "+
		"(%v; syncd status: ERASURE LOG UNREADABLE): syncd cannot tell whether the restore holds again what an erasure "+
		"made after the backup was taken removed, and an export could hand over what the person had erased: %s; then export",
		taken, why, erasureLogAdvice)
}

// logUnreadSaid says, at the end of an export made beside an erasure log
// that does not read (why), what the export may lack and what to do.
func (c *cli) logUnreadSaid(why error) {
	c.errorf("the export is written, without the erasure log beside the database, which does not read "+
		"(%v; syncd status: ERASURE LOG UNREADABLE): it lists only the erasures the database's audit holds under what "+
		"was given, not those recorded under the person's other email or phone, nor the backups that hold what an erasure "+
		"of theirs removed, nor when an erasure made again on a restored backup was first made: %s; then export again", why, erasureLogAdvice)
}

// logReadable says whether export may go on beside lg, the erasure log of
// cfg, and whether that log reads: on a restored SQLite backup (db) a log
// that does not read refuses the export, which it says, with the exit status.
func (c *cli) logReadable(ctx context.Context, cfg *config.Config, db store, lg erasureLog) (code int, ok bool, unread error) {
	unread = lg.unread
	if unread == nil || sqlitePath(cfg) == "" {
		return exitOK, true, unread
	}
	taken, _, err := restoreState(ctx, db)
	if err != nil {
		return c.fail(err), false, unread
	}
	if taken.IsZero() {
		return exitOK, true, unread
	}
	c.refusedLogUnread(clockOf(cfg).show(taken), unread)
	return exitAttention, false, unread
}
