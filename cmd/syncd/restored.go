package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// restored says whether the database is a backup put back in place:
// `syncd backup` records in its copy when it was taken. The first start on
// such a copy records when it first served it and tells the operator what
// the backup lacks; the reporter then keeps the workbooks made between the
// two, which the copy does not record. Zero times: not a restored backup.
// first says this is that first start.
func restored(ctx context.Context, st store, log zerolog.Logger) (taken, at time.Time, first bool, err error) {
	taken, at, err = restoreState(ctx, st)
	if err != nil || taken.IsZero() || !at.IsZero() {
		return taken, at, false, err
	}
	at = time.Now()
	if err := st.SetStateValue(ctx, sqlite.StateRestoredAt, syncd.FormatTime(at)); err != nil {
		return time.Time{}, time.Time{}, false, err
	}
	ev := log.Warn().Time("backup_taken_at", taken)
	for _, s := range []struct{ state, name string }{
		{sqlite.StateEventIDsSkipped, "event_ids"}, {sqlite.StateQuarantineIDsSkipped, "quarantine_ids"},
	} {
		if v, ok, err := st.StateValue(ctx, s.state); err == nil && ok {
			if first, last, err := sqlite.ParseSkippedIDs(v); err == nil {
				ev = ev.Int64(s.name+"_from", last+2).Int64(s.name+"_skipped_from", first)
			}
		}
	}
	if first, ok := opIDsReused(ctx, st); ok {
		ev = ev.Int64("outbox_ids_reused_from", first)
	}
	later := laterBackups(ctx, st, taken)
	if len(later) > 0 {
		paths := make([]string, len(later))
		for i, b := range later {
			paths[i] = b.Path
		}
		ev = ev.Strs("later_backups", paths)
	}
	if why, ok, err := st.StateValue(ctx, sqlite.StateOlderCopy); err == nil && ok {
		log.Warn().Time("backup_taken_at", taken).Str("found", why).Str("fix", olderCopyFix).
			Msg("database put back from a copy syncd backup did not make (cp of a running daemon's syncd.db, a disk " +
				"snapshot; found says how it was told), which says nothing of when it was taken: " +
				"it is taken for a backup taken at backup_taken_at, the newest thing it holds")
	}
	ev.Msg("database restored from a backup: what was received after it was taken is not in it " +
		"(deliveries the senders retry are stored again, with new ids: event ids continue from event_ids_from, " +
		"those from event_ids_skipped_from on may have named events the backup lacks; quarantine ids likewise; " +
		"outbox operation ids from outbox_ids_reused_from on are given again, and named other operations before); " +
		"CRM operations sent since go again " +
		"(a record the CRM's search does not show yet is looked for again after settle_time, not made twice); " +
		"reports made since are kept in report.dir, not made or mailed again; " +
		"people erased since are erased again as the erasure log beside the database says (one it cannot is logged, " +
		"and syncd status names it: run syncd erase again for it); what the retention purged since is purged again now, " +
		"before anything is mapped, sent or reported; leads syncd answered since are lost, and their senders do not send them again" +
		laterBackupsSaid(len(later)))
	return taken, at, true, nil
}

// laterBackups are the backups db records (recordLaterBackups found them)
// taken after taken, when the backup it is was taken, that are still
// there, oldest first. Those taken once they were looked for, or once
// the restore was first written to (syncd backup of the restore itself),
// are not among them: they hold nothing it lacks.
func laterBackups(ctx context.Context, db store, taken time.Time) []madeBackup {
	list, _ := madeBackups(ctx, db) // unreadable: none said
	until := restoreOpened(ctx, db)
	if v, ok, err := db.StateValue(ctx, sqlite.StateLaterBackupsSought); err == nil && ok {
		if sought, err := syncd.ParseTime(v); err == nil && (until.IsZero() || sought.Before(until)) {
			until = sought
		}
	}
	var out []madeBackup
	for _, b := range list {
		if b.TakenAt.After(taken) && (until.IsZero() || b.TakenAt.Before(until)) && exists(b.Path) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b madeBackup) int { return a.TakenAt.Compare(b.TakenAt) })
	return out
}

// laterBackupsSaid is what the first start on a restored backup says of
// the n backups taken after it.
func laterBackupsSaid(n int) string {
	if n == 0 {
		return ""
	}
	return "; later_backups were taken after this backup: they hold leads it lacks and ids it skips (if one of them is " +
		"whole and you did not mean to go back to this one, stop syncd and restore the newest instead: it loses less); " +
		"syncd erase and export name them as they name this one"
}

// olderCopyFix is what to do about a database found older than the
// erasure log beside it.
const olderCopyFix = "if you put it back on purpose, nothing more (syncd status says what the restore lost); " +
	"if not, stop syncd and put back the database it replaced; take backups with syncd backup -out, whose copies say when they were taken"

// dealsNamed is how many of the deal operations a restore holds pending
// its first start names by id (the first ones); the rest are counted.
const dealsNamed = 50

// sayDealsAgain logs, at the first start on a restored backup, the deal
// operations for target the backup holds pending. Sent after the backup
// was taken, such a deal may have been deleted in the CRM since (by a
// salesperson); the CRM's search shows no deleted deal, so it is made
// again, and syncd cannot tell it from one never made. Only these can
// make a deleted deal again: the operator checks them once they are sent.
func sayDealsAgain(ctx context.Context, st store, target string, log zerolog.Logger) {
	f := syncd.OpFilter{State: syncd.OpPending, Target: target, Kind: syncd.RecordDeal, Limit: dealsNamed}
	n, err := st.CountOps(ctx, f)
	var ops []syncd.Op
	if err == nil && n > 0 {
		ops, err = st.ListOps(ctx, f)
	}
	if err != nil {
		log.Warn().Err(err).Msg("deal operations the restored backup held pending: cannot be listed")
		return
	}
	if n == 0 {
		return
	}
	ids := make([]string, 0, len(ops))
	for _, op := range ops {
		ids = append(ids, strconv.FormatInt(op.ID, 10))
	}
	log.Warn().Int("deal_ops", n).Strs("outbox_ids", ids).Msg("deal operations the restored backup held " +
		"pending go to the CRM again: one the daemon the backup was taken of sent after it makes its deal again if a " +
		"salesperson deleted that deal since (the CRM's search does not show deleted deals, so syncd cannot tell). " +
		"Once they are done, syncd outbox show ID gives each deal's CRM id: look for a deleted deal of the same lead " +
		"in the CRM's deleted records, and delete the new one again if so")
}

// restoredIntents read a batch of links at once, as the store does.
var _ syncd.BatchLinks = restoredIntents{}

// restoredIntents are the store's CRM links and create intents on a
// database restored from a backup, for a while after the restore: a create
// with no intent recorded counts as possibly sent at the restore. The
// daemon the backup was taken of may have made the record after the backup,
// and the CRM's search may not show it yet; the adapters' guards then wait
// their settle time and look again (Pipedrive: in its lists) before they
// create, instead of making a second person or deal.
type restoredIntents struct {
	syncd.Links
	crm.Intents
	at, until time.Time
	now       func() time.Time
}

// LinksFor reads the links of a batch at once, as the store does: the
// embedded Links alone would hide the store's LinksFor from the adapters.
func (r restoredIntents) LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error) {
	return crm.LinksOf(ctx, r.Links, target, kind, keys)
}

// Intent is the recorded intent, or the restore while it is recent.
func (r restoredIntents) Intent(ctx context.Context, target string, kind syncd.RecordKind, key string) (time.Time, error) {
	t, err := r.Intents.Intent(ctx, target, kind, key)
	if err != nil || !t.IsZero() || !r.now().Before(r.until) {
		return t, err
	}
	return r.at, nil
}

// linksOf is the adapters' links and intents in db: restoredIntents on a
// restored backup until 10 settle times (at least 30 minutes) after it was
// first served, or after now when no daemon has served it yet (a command
// run before the first start: the daemon it was taken of has stopped).
func linksOf(cfg *config.Config, db store) syncd.Links {
	taken, at, _ := restoreState(context.Background(), db) // unreadable: as if none
	if taken.IsZero() {
		return db
	}
	if at.IsZero() { // not served yet, or its time unreadable
		at = time.Now()
	}
	until := at.Add(max(10*cfg.CRM.Pipedrive.SettleTime, 30*time.Minute))
	if !time.Now().Before(until) {
		return db
	}
	return restoredIntents{Links: db, Intents: db, at: at, until: until, now: time.Now}
}

// restoreState reads when the backup st is was taken and when a daemon
// first served it: zero taken for a database that is no restored backup,
// zero at for one no daemon has served yet.
func restoreState(ctx context.Context, st store) (taken, at time.Time, err error) {
	if taken, err = stateTime(ctx, st, sqlite.StateBackupTaken); err != nil || taken.IsZero() {
		return time.Time{}, time.Time{}, err
	}
	at, err = stateTime(ctx, st, sqlite.StateRestoredAt)
	return taken, at, err
}

// stateTime is the time state row name of st holds: zero when there is
// no such row.
func stateTime(ctx context.Context, st store, name string) (time.Time, error) {
	v, ok, err := st.StateValue(ctx, name)
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, err := syncd.ParseTime(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// lostByRestore is err, an event (or quarantined body) not found, saying so
// when its id is one a restore of this database skipped (skipped names
// the kind: sqlite.StateEventIDsSkipped or StateQuarantineIDsSkipped): it
// may have named one the database the backup was taken of received after
// it, which the restore lost. Every restore's ids count, those of the
// restores before the backup restored was taken too. Otherwise it says
// where the ids of that kind are listed, and when id is one of the other
// kind (an event's given to events repair, a quarantined body's to events
// show), what that is and the command that shows it: "quarantined body 5
// not found" alone left an operator who had copied an event's id guessing.
func lostByRestore(ctx context.Context, clk clock, st store, skipped string, id int64, err error) error {
	if syncd.ErrorCode(err) != syncd.ENotFound {
		return err
	}
	db := sqliteOf(st)
	if db == nil {
		return otherKind(ctx, st, skipped, id, err)
	}
	ranges, rerr := db.Skipped(ctx, skipped == sqlite.StateQuarantineIDsSkipped)
	i := slices.IndexFunc(ranges, func(r sqlite.SkippedIDs) bool { return r.First <= id && id <= r.Last })
	if rerr != nil || i < 0 {
		return otherKind(ctx, st, skipped, id, err)
	}
	what, whats := "event", "events"
	if skipped == sqlite.StateQuarantineIDsSkipped {
		what, whats = "quarantined body", "bodies quarantined"
	}
	r := ranges[i]
	if !thisRestores(ctx, st, skipped, r) { // a restore before the backup this one is was taken
		return syncd.Errorf(syncd.ENotFound, "%s %d not found: an earlier restore of this database (first written to at %s) "+
			"skipped ids %d to %d: they may have been given to %s after the backup restored then was taken, which it does not "+
			"hold (see the workbooks in report.dir; the senders' retries were stored again with new ids)",
			what, id, clk.show(r.At), r.First, r.Last, whats)
	}
	return syncd.Errorf(syncd.ENotFound, "%s %d not found: this database is a restored backup, and ids %d to %d "+
		"may have been given to %s after the backup was taken, which it does not hold "+
		"(see the workbooks in report.dir; the senders' retries were stored again with new ids)", what, id, r.First, r.Last, whats)
}

// thisRestores says whether r are the ids this restore skipped (the
// state row skipped records them), not an earlier one's.
func thisRestores(ctx context.Context, st store, skipped string, r sqlite.SkippedIDs) bool {
	v, ok, err := st.StateValue(ctx, skipped)
	if err != nil || !ok {
		return false
	}
	first, last, err := sqlite.ParseSkippedIDs(v)
	return err == nil && first == r.First && last == r.Last
}

// sqliteOf is the SQLite database st is, nil for another store.
func sqliteOf(st store) *sqlite.DB {
	if b, ok := st.(*backend); ok {
		st = b.store
	}
	db, _ := st.(*sqlite.DB)
	return db
}

// otherKind is err, id not found among the events (skipped is
// sqlite.StateEventIDsSkipped) or the quarantined bodies, with where their
// ids are listed, and what id is when it is one of the other kind.
func otherKind(ctx context.Context, st store, skipped string, id int64, err error) error {
	if skipped == sqlite.StateQuarantineIDsSkipped {
		if _, eerr := st.Event(ctx, id); eerr == nil {
			return syncd.Errorf(syncd.ENotFound, "%v; %d is an event's id (syncd events show %[2]d), not a quarantined "+
				"body's: syncd events list -quarantined lists theirs", err, id)
		}
		return syncd.Errorf(syncd.ENotFound, "%v: syncd events list -quarantined lists the quarantined bodies' ids", err)
	}
	if _, qerr := st.QuarantinedBody(ctx, id); qerr == nil {
		return syncd.Errorf(syncd.ENotFound, "%v; %d is a quarantined body's id (syncd events show -quarantined %[2]d), "+
			"not an event's: syncd events list lists theirs", err, id)
	}
	return syncd.Errorf(syncd.ENotFound, "%v: syncd events list lists the events' ids", err)
}

// opIDsReused returns the first outbox operation id a restored backup
// gives again (the database it was taken of may have given it and those
// after it to other operations); false when st is no restored backup.
func opIDsReused(ctx context.Context, st store) (int64, bool) {
	v, ok, err := st.StateValue(ctx, sqlite.StateOutboxIDsReused)
	if err != nil || !ok {
		return 0, false
	}
	first, err := strconv.ParseInt(v, 10, 64)
	return first, err == nil
}

// reusedOpID says why outbox operation id may not be the one a log line or
// workbook names, on a restored backup that gives it again; "" when it is
// not such an id.
func reusedOpID(ctx context.Context, st store, id int64) string {
	first, ok := opIDsReused(ctx, st)
	if !ok || id < first {
		return ""
	}
	return fmt.Sprintf("this database is a restored backup: operation ids from %d on may have been given to other "+
		"operations after the backup was taken, and are given again since the restore: a log line or workbook "+
		"from before the restore that names operation %d named another one (compare the times)", first, id)
}

// lostOpByRestore is err, an operation not found, saying so when its id is
// one a restored backup gives again, else what removes operations (an
// erasure, the purge, outbox drop): they said "no outbox op ID" alone.
func lostOpByRestore(ctx context.Context, st store, id int64, err error) error {
	if syncd.ErrorCode(err) != syncd.ENotFound {
		return err
	}
	if why := reusedOpID(ctx, st, id); why != "" {
		return syncd.Errorf(syncd.ENotFound, "operation %d not found: %s", id, why)
	}
	return syncd.Errorf(syncd.ENotFound, "%v: %s", err, notHeldWhy)
}

// notHeldWhy says why an operation id the operator read once (in a list,
// a log line, a workbook) is not held, and where to see those held: what
// removes operations, and the ids never an operation's. The outbox skips
// an id wherever a lead enqueues work it already holds, as a person's
// second lead does whose contact carries the same properties as the
// first's (one email, name and phone): the second contact operation is
// not made, its id not given to another. show, retry and give-up named
// the causes of an operation removed alone (an erasure, the purge, a
// drop), none of which had happened; the store cannot tell which it was.
const notHeldWhy = "no operation by that id is held: syncd erase removes a person's operations, " +
	"the retention purge finished ones (retention.outbox_days), syncd outbox drop pending ones, and some ids are " +
	"never an operation's: one is skipped where a lead's contact or deal is work the outbox holds already (a person's " +
	"next lead with the same email, name and phone makes no contact operation of its own: the earlier one writes " +
	"the contact) and no other operation takes it; syncd outbox list shows those held"

// restoreAlarm is the report's alarm on a restored backup: the reports of
// the days from when the backup was taken to when a daemon first served
// the restore lack the leads syncd answered in between, which their
// senders do not send again. Nil for a database that is no restored
// backup.
func restoreAlarm(ctx context.Context, st store) (*report.Alarm, error) {
	taken, at, err := restoreState(ctx, st)
	if err != nil || taken.IsZero() {
		return nil, err
	}
	return &report.Alarm{Since: taken, Until: at, Short: "leads lost in a restore", Text: "syncd was restored from a backup " +
		"taken then: the leads it answered from then until the restore are not in its database, nor in this report, " +
		"and their senders do not send them again. Those synced are in the CRM; a workbook made before the restore " +
		"lists those of its day (see the log: database restored from a backup)"}, nil
}

// restoredAccountFix is the way out of a restored backup whose CRM ids
// were made in another account than the one the token belongs to.
const restoredAccountFix = "this database is a restored backup, and the CRM ids it holds were made in that account: " +
	"if it is this agency's own backup and the agency moved to the token's account since, run syncd crm forget-links, " +
	"then restart syncd; if it is another agency's, stop syncd and restore this agency's own"

// pinRecorded pins adapter to the CRM account syncd's CRM ids were made in
// (recorded when the daemon first reached the CRM, and by `syncd crm
// forget-links`), besides the configuration's pin, and returns that
// account's id when it is another than the one pinned (none, mostly), else
// "". The
// operations waiting carry those ids (a CRM erasure deletes the records
// of its ids, an update writes them), and in another account the same ids
// are other records, or none: an agency that moved to another account, run
// on the new token before forget-links, would erase or overwrite strangers
// there; another agency's backup restored by mistake would send that
// agency's leads into this agency's CRM. Nothing is sent until the token
// belongs to that account, or forget-links records the token's. A
// database that records no account is left alone.
func pinRecorded(ctx context.Context, db store, adapter syncd.CRM) string {
	h, ok := adapter.(pinHolder)
	if !ok {
		return ""
	}
	name := accountStateName(adapter.Name())
	was, ok, err := db.StateValue(ctx, name)
	p := h.Pin()
	pinnedByIDs(ctx, db, p)
	if err == nil && (!ok || was == "") {
		p.Record = func(ctx context.Context, acc crm.Account) (string, error) {
			return recordAccount(ctx, db, name, acc)
		}
	}
	if err != nil || !ok || was == "" {
		return ""
	}
	// Beside the configuration's pin, not in its place: before, a pin of
	// another account than this one gave way to it, and the leads went
	// into the account the pin said they do not belong in (and a reload
	// pinning another let them go there with these ids).
	p.SetMade(was)
	if p.Want == was {
		return ""
	}
	return was
}

// pinnedByIDs makes p's mismatch with the account the CRM ids syncd holds
// were made in say so, and the way out.
func pinnedByIDs(ctx context.Context, db store, p *crm.Pin) {
	p.MadeFix, p.MadeOf = accountMovedFix, "the account the CRM ids syncd holds were made in"
	if taken, _, err := restoreState(ctx, db); err == nil && !taken.IsZero() {
		p.MadeFix, p.MadeOf = restoredAccountFix, "" // its fix says what the pinned account is
	}
}

// recordAccount is the Pin's Record of a database that recorded no
// account as the adapter started: before the first write, the token's
// account acc is recorded as the one the CRM ids are made in, unless one
// was recorded since, which it returns. Before, only the daemon's account
// check recorded it: a daemon that sent leads and stopped before its check
// had read the account recorded none, and a later run on another
// account's token sent the erasures waiting with these ids into that one.
func recordAccount(ctx context.Context, db store, name string, acc crm.Account) (string, error) {
	was, ok, err := db.StateValue(ctx, name)
	switch {
	case err != nil:
		return "", err
	case ok && was != "":
		return was, nil
	}
	return acc.ID, db.SetStateValue(context.WithoutCancel(ctx), name, acc.ID)
}
