package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/writable"
)

// RestoreStatus is what `syncd status` says of a database restored from a
// backup: for a week after the daemon first served it (the leads received
// between the backup and the restore are missing from it), and for as long
// as an erasure made after the backup is undone in it.
type RestoreStatus struct {
	// Taken is when the backup was taken; At when a daemon first served
	// the restore (zero: none has yet).
	Taken, At time.Time
	// Logged says the data directory has an erasure log; Again counts the
	// erasures it says were made again on the restore, Undone the times of
	// those the restore undid and syncd could not make again (or, not
	// served yet, that the first start makes again).
	Logged bool
	// LogUnread says the erasure log beside it does not read (status's
	// ERASURE LOG UNREADABLE): which erasures the restore undid is unknown.
	LogUnread bool
	Again     int
	Undone    []time.Time
	// Forgotten are the times of the erasures made after the backup, of
	// data it holds, whose identifiers were dropped past
	// retention.erasure_days: syncd cannot tell whom they erased.
	Forgotten []time.Time
	// OlderCopy says why the database was taken for a copy syncd backup
	// did not make (sqlite.StateOlderCopy), Taken then being the newest
	// thing it holds; "" for a copy syncd backup made.
	OlderCopy string
	// Later counts the backups taken after this one, of the database it
	// was taken of, that are still there (laterBackups); Newest is the
	// newest of them: they hold leads the restore lacks.
	Later  int
	Newest madeBackup
	// Postgres: the PostgreSQL database, whose restore syncd does not
	// see; Undone are then the erasures this host's log holds that the
	// database lacks, whose person it holds again (pgRestoreFindings).
	Postgres bool
	// Purged is when syncd purge last ran on the restore before a daemon
	// served it (restorePurgedState); zero when it has not.
	Purged time.Time
	// Untold are those of Undone (PostgreSQL) whose person none of the
	// database's contacts names while it holds leads received since the
	// person's first (mayHold): syncd cannot tell whether, or whom, to
	// erase again.
	Untold []time.Time
}

// restoreShown is how long after a restore status says so when nothing
// is left to do.
const restoreShown = 7 * 24 * time.Hour

// restoreStatus puts into s what the database db, a restored backup,
// still asks of the operator (on PostgreSQL: the erasures this host's log
// holds that it lacks), and an erasure log that does not read.
func restoreStatus(ctx context.Context, cfg *config.Config, db store, s *Snapshot) error {
	if path := erasureLogPath(cfg); path != "" {
		if _, _, err := readErasureLog(path); err != nil {
			s.ErasureLogUnread = err.Error()
			if cfg.Store.Kind == config.StorePostgres { // its findings are the log's
				return nil
			}
		}
	}
	r, err := restoreFindings(ctx, cfg, db)
	if err != nil || r == nil {
		return err
	}
	if len(r.Undone) > 0 || r.At.IsZero() || s.At.Sub(r.At) < restoreShown {
		s.Restore = r
	}
	return nil
}

// restoreFindings is what the SQLite database db, if it is a restored
// backup, holds that the operator must know: nil for a database that is
// no restore, or another store.
func restoreFindings(ctx context.Context, cfg *config.Config, db store) (*RestoreStatus, error) {
	if cfg.Store.Kind == config.StorePostgres {
		return pgRestoreFindings(ctx, cfg, db)
	}
	if cfg.Store.Kind != config.StoreSQLite {
		return nil, nil
	}
	taken, at, err := restoreState(ctx, db)
	if err != nil || taken.IsZero() {
		return nil, err
	}
	r := &RestoreStatus{Taken: taken, At: at}
	if r.Purged, err = restorePurged(ctx, db, taken); err != nil {
		return nil, err
	}
	salt, entries, err := readErasureLog(erasureLogPath(cfg))
	if err != nil { // said as ERASURE LOG UNREADABLE: the restore is said all the same
		salt, entries, r.LogUnread = "", nil, true
	}
	r.Logged = salt != ""
	if r.OlderCopy, _, err = db.StateValue(ctx, sqlite.StateOlderCopy); err != nil {
		return nil, err
	}
	if later := laterBackups(ctx, db, taken); len(later) > 0 {
		r.Later, r.Newest = len(later), later[len(later)-1]
	}
	opened := restoreOpened(ctx, db)
	for _, e := range undoneErasures(entries, taken, opened, at, true) {
		r.Undone = append(r.Undone, e.At)
	}
	for _, e := range forgottenErasures(entries, taken, opened) {
		r.Forgotten = append(r.Forgotten, e.At)
	}
	for _, e := range entries {
		if e.Again && !at.IsZero() && !e.At.Before(at) { // made again at the first start
			r.Again++
		}
	}
	return r, nil
}

// restoreOfDaemon is restoreStatus for the running daemon's snapshot,
// reading the database beside it, with the times no syncd received
// (intakeStops), the leads waiting for a person (leadsWaiting), a sync
// by hand after the daemon's last, a pause it made that the daemon has
// not taken yet and when the last check ran (adapterDetails); an error is
// said on stderr.
func (c *cli) restoreOfDaemon(ctx context.Context, cfg *config.Config, clk clock, s *Snapshot) {
	if cfg.Store.Kind != config.StoreSQLite && cfg.Store.Kind != config.StorePostgres {
		return
	}
	db, err := openBackend(ctx, cfg, storeHooks{ReadOnly: true})
	if errors.Is(err, fs.ErrPermission) { // status run as a user the database is not open to
		s.notReadHere(notOpenTo(cfg))
		return
	}
	if err != nil {
		c.errorf("status: the database: %v", err)
		return
	}
	defer db.Close()
	if err := restoreStatus(ctx, cfg, db, s); err != nil {
		c.errorf("restored backup: %v", err)
	}
	if err := errors.Join(adapterDetails(ctx, cfg, db, s), intakeStops(ctx, db, clk, s), leadsWaiting(ctx, db, cfg, s),
		reportLook(ctx, db, clk, s)); err != nil {
		c.errorf("%v", err)
	}
}

// notOpenTo says that the SQLite database of cfg is not open to the user
// status runs as (Snapshot.NotReadHere).
func notOpenTo(cfg *config.Config) string {
	return fmt.Sprintf("%s is not open to %s (permission denied)", sqlitePath(cfg), writable.UserName(os.Geteuid()))
}

// restoreLines prints s.Restore into the status table w.
func restoreLines(w io.Writer, clk clock, s Snapshot) {
	if s.ErasureLogUnread != "" {
		fmt.Fprintf(w, "erasures\tERASURE LOG UNREADABLE: %s: syncd erase records no erasure in it, and a restore of the "+
			"database is not checked against those it holds, until it reads: %s\n", s.ErasureLogUnread, erasureLogAdvice)
	}
	r := s.Restore
	if r == nil {
		return
	}
	if r.Postgres {
		for _, t := range r.Undone {
			if slices.ContainsFunc(r.Untold, t.Equal) {
				fmt.Fprintf(w, "restored\tERASURE UNDONE: the erasure of %s, run on this host, is not in the database (a backup of it restored), "+
					"which holds leads received since the person's first, and none of its contacts is keyed by what that erase was given "+
					"(erased by a phone, contacts keyed by email), so syncd cannot tell whether the person is in it: "+
					"run syncd erase again for that person, as then (-crm, -others)\n", clk.show(t))
				continue
			}
			fmt.Fprintf(w, "restored\tERASURE UNDONE: the erasure of %s, run on this host, is not in the database (a backup of it restored) "+
				"and the person is in it again: each instance's start, and its hourly check, makes it again; if this stays, "+
				"its log says why: run syncd erase again for that person, as then (-crm, -others)\n", clk.show(t))
		}
		return
	}
	served := "not served yet"
	if !r.At.IsZero() {
		served = "first served " + when(clk, r.At, s.At)
	}
	fmt.Fprintf(w, "restored\tfrom a backup taken at %s, %s: the leads syncd answered in between are not in it, "+
		"and their senders do not send them again\n\t  (the CRM holds those synced; the workbooks in report.dir those of the days reported)\n",
		clk.show(r.Taken), served)
	if r.Later > 0 {
		fmt.Fprintf(w, "\t  %s of the database it was taken of %s (newest %s, taken at %s), holding leads this restore lacks: "+
			"if going back to this backup was not meant, stop syncd and restore the newest\n",
			syncd.Counted(r.Later, "later backup", "later backups"), syncd.Noun(r.Later, "exists", "exist"),
			r.Newest.Path, clk.show(r.Newest.TakenAt))
	}
	if r.OlderCopy != "" {
		fmt.Fprintf(w, "\t  not a copy syncd backup made: %s, so it was put back from an older copy (cp of a running daemon's "+
			"syncd.db, a disk snapshot); it is taken for a backup taken at the newest thing it holds, above. Not on purpose: "+
			"stop syncd and put back the database it replaced\n", r.OlderCopy)
	}
	switch {
	case r.LogUnread:
		fmt.Fprintf(w, "\t  erasures made after the backup, if any, are undone, and the erasure log that would say which does not read "+
			"(ERASURE LOG UNREADABLE): run syncd erase again for each (your record of the requests)\n")
	case !r.Logged:
		fmt.Fprintf(w, "\t  erasures made after the backup, if any, are undone, and no erasure log beside the database says which "+
			"(none logged here): run syncd erase again for each (your record of the requests)\n")
	case r.At.IsZero() && len(r.Undone) > 0:
		fmt.Fprintf(w, "\t  %s made after the backup %s undone: the daemon's first start makes %s again\n",
			syncd.Counted(len(r.Undone), "erasure", "erasures"), syncd.Noun(len(r.Undone), "is", "are"), syncd.Noun(len(r.Undone), "it", "them"))
	case r.Again > 0:
		fmt.Fprintf(w, "\t  %s made after the backup made again at its first start\n", syncd.Counted(r.Again, "erasure", "erasures"))
	}
	if r.At.IsZero() && !r.Purged.IsZero() {
		fmt.Fprintf(w, "\t  syncd purge dropped from it at %s what the retention no longer kept; its first start purges again "+
			"before it maps, sends or reports anything\n", clk.show(r.Purged))
		return
	}
	if r.At.IsZero() {
		fmt.Fprintf(w, "\t  its first start purges what the retention no longer keeps (syncd purge does it now) "+
			"before it maps, sends or reports anything\n")
		return
	}
	for _, t := range r.Forgotten {
		fmt.Fprintf(w, "\t  the erasure of %s (made after the backup) is undone, and its identifiers were dropped past "+
			"retention.erasure_days, so syncd cannot tell whom it erased: run syncd erase again for that person "+
			"(your record of the requests), as then (-crm, -others)\n", clk.show(t))
	}
	for _, t := range r.Undone {
		fmt.Fprintf(w, "\t  ERASURE UNDONE: the erasure of %s (made after the backup) could not be made again (the log says why): "+
			"run syncd erase again for that person, as then (-crm, -others)\n", clk.show(t))
	}
}

// restorePurgedState is the state row recording when syncd purge last ran
// on a restored SQLite backup that no daemon had served yet: status said
// "syncd purge does it now" of a restore it had purged already.
const restorePurgedState = "restore_purged_at"

// markRestorePurged records that syncd purge has run, at now, on the
// database db of cfg, when it is a restored SQLite backup no daemon has
// served yet (restorePurgedState); any other database is left as it is.
func markRestorePurged(ctx context.Context, cfg *config.Config, db store, now time.Time) error {
	if sqlitePath(cfg) == "" {
		return nil
	}
	taken, at, err := restoreState(ctx, db)
	if err != nil || taken.IsZero() || !at.IsZero() {
		return err
	}
	return db.SetStateValue(ctx, restorePurgedState, syncd.FormatTime(now))
}

// restorePurged is when syncd purge ran on db, a backup taken at taken and
// restored, before a daemon served it (markRestorePurged): zero when it has
// not. A mark older than the backup is that of an earlier restore, which
// the backup copied.
func restorePurged(ctx context.Context, db store, taken time.Time) (time.Time, error) {
	t, err := stateTime(ctx, db, restorePurgedState)
	if err != nil {
		return time.Time{}, err
	}
	if !t.After(taken) {
		return time.Time{}, nil
	}
	return t, nil
}
