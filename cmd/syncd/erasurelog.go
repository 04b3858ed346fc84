package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/systemd"
)

// A backup restored holds again the people erased after it was taken, and
// the erasure audit that would tell is in the database the restore
// replaced. On SQLite `syncd erase` therefore also appends each erasure to
// a log beside the database, outside it (the README's restore steps replace
// syncd.db only): the identifiers it was given as keyed hashes, with the
// log's own random salt on its first line, never in clear. The first start
// on a restored backup finds the person of each erasure made after the
// backup was taken among the contacts it holds, erases them again, and
// says so; one it cannot find is said in the log and by `syncd status`,
// with what to do, until erased again.

// erasureLogName is the erasure log's file name, in the data directory.
const erasureLogName = "syncd-erasures.jsonl"

// erasureLogHead is the log's first line.
type erasureLogHead struct {
	Salt string `json:"salt"`
}

// erasureEntry is one erasure in the log.
type erasureEntry struct {
	At time.Time `json:"at"`
	// Email and Phone are the keyed hashes of the contact keys of the
	// email and the phone erase was given (none when not given).
	Email []string `json:"email,omitempty"`
	Phone []string `json:"phone,omitempty"`
	// Events are the events erase -event was given, by id (no personal
	// data): a restored backup holds them under the same ids.
	Events []int64 `json:"events,omitempty"`
	// First is when the first thing it erased was received: a backup
	// taken before it holds the person. Zero: it erased nothing.
	First  time.Time `json:"first,omitzero"`
	CRM    bool      `json:"crm,omitempty"`
	Others bool      `json:"others,omitempty"`
	// OthersErased, of an erase given -others, is how much of what it
	// erased was other contacts' leads naming the person: the audit keeps
	// totals only. Nil in an entry of an older syncd, which did not count.
	OthersErased *othersShare `json:"others_erased,omitempty"`
	// Again: the erasure applied again to a restored backup.
	Again bool `json:"again,omitempty"`
	// OnRestore is when the first writer opened the restored backup it
	// was made on (sqlite.DB.RestoreOpenedAt); zero on another database.
	OnRestore time.Time `json:"on_restore,omitzero"`
	// Audited is when the database's audit trail records it, when not At
	// (syncd.Erasure.Audited: PostgreSQL's, on the server's clock).
	Audited time.Time `json:"audited,omitzero"`
	// Settles is the Audited time of the erasure a restore of the
	// PostgreSQL database undid that this entry dealt with: made again,
	// or its person found not in the database (pgerasurelog.go).
	Settles time.Time `json:"settles,omitzero"`
}

// erasureIDs are the contact keys of the identifiers one erase was given,
// and its flags: what the log records of it.
type erasureIDs struct {
	email, phone []string
	events       []int64 // erase -event's
	crm, others  bool
	share        othersShare // with others: how much of what it erases is other contacts' leads
}

// newErasureIDs are the erasureIDs of an erase of s, made by newSubject
// of the email and phone given: its email keys and its phone keys
// (Subject.KeysOf), none of a kind not given.
func newErasureIDs(s syncd.Subject, crm, others bool) erasureIDs {
	return erasureIDs{email: s.KeysOf(syncd.KeyEmail), phone: s.KeysOf(syncd.KeyPhone), crm: crm, others: others}
}

// erasureLogPath is where the erasure log of cfg's database is: beside
// the SQLite database; on PostgreSQL in this host's data directory, each
// instance's log holding the erasures run on its host (pgerasurelog.go).
func erasureLogPath(cfg *config.Config) string {
	if p := sqlitePath(cfg); p != "" {
		return filepath.Join(filepath.Dir(p), erasureLogName)
	}
	if cfg.Store.Kind == config.StorePostgres {
		return filepath.Join(cfg.DataDir, erasureLogName)
	}
	return ""
}

// restoreOpened is st's sqlite.DB.RestoreOpenedAt; zero for another store
// or when it cannot be read (an erasure then counts as made elsewhere).
func restoreOpened(ctx context.Context, st store) time.Time {
	if b, ok := st.(*backend); ok {
		st = b.store
	}
	db, ok := st.(*sqlite.DB)
	if !ok {
		return time.Time{}
	}
	at, _ := db.RestoreOpenedAt(ctx)
	return at
}

// logErasure appends er, an erasure made with ids on a database restored
// at onRestore (restoreOpened), to the erasure log at path, making the log
// when there is none. It reads the log in the open it appends through,
// under its lock, and returns it as it leaves it (what it read, and er's
// entry), which erase reads no more.
func logErasure(path string, ids erasureIDs, er syncd.Erasure, onRestore time.Time) (erasureLog, error) {
	f, err := lockErasureLog(path, os.O_RDWR|os.O_APPEND)
	if errors.Is(err, fs.ErrNotExist) {
		if _, nerr := newErasureLog(path); nerr != nil && !errors.Is(nerr, fs.ErrExist) { // else another erase made it meanwhile
			return erasureLog{}, nerr
		}
		f, err = lockErasureLog(path, os.O_RDWR|os.O_APPEND)
	}
	if err != nil {
		return erasureLog{}, fmt.Errorf("erasure log: %w", err)
	}
	defer f.Close()
	salt, entries, err := readErasureLogFile(f)
	if err != nil {
		return erasureLog{}, err
	}
	e := erasureEntry{At: er.At, Email: keyedHashes(salt, ids.email), Phone: keyedHashes(salt, ids.phone), Events: ids.events,
		CRM: ids.crm, Others: ids.others, OnRestore: onRestore, Audited: er.Audited}
	if ids.others {
		e.OthersErased = &ids.share
	}
	if len(er.Received) > 0 {
		e.First = slices.MinFunc(er.Received, func(a, b time.Time) int { return a.Compare(b) })
	}
	if err := appendLocked(f, e); err != nil {
		return erasureLog{}, err
	}
	return erasureLog{salt: salt, entries: append(entries, e)}, nil
}

// appendErasure appends e to the log at path and syncs it, under the
// log's lock (see lockErasureLog): a trim rewriting the log meanwhile
// replaces the file, and e goes into the new one.
func appendErasure(path string, e erasureEntry) error {
	f, err := lockErasureLog(path, os.O_RDWR|os.O_APPEND)
	if err != nil {
		return fmt.Errorf("erasure log: %w", err)
	}
	err = appendLocked(f, e)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("erasure log: %w", cerr)
	}
	return err
}

// appendLocked appends e to f, the log opened for appending and locked
// (lockErasureLog), and syncs it. A last line left unended (an append cut
// by a crash or a full disk) is ended first: e appended to it would make
// one line that does not read, and e lost.
func appendLocked(f *os.File, e erasureEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("erasure log: %w", err)
	}
	if unended(f) {
		line = append([]byte{'\n'}, line...)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		return fmt.Errorf("erasure log: %w", err)
	}
	return nil
}

// unended says whether the file f, not empty, does not end its last line.
func unended(f *os.File) bool {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return false
	}
	b := make([]byte, 1)
	_, err = f.ReadAt(b, st.Size()-1)
	return err == nil && b[0] != '\n'
}

// lockErasureLog opens the log at path with flag and takes its exclusive
// flock, waiting for another erase or trim to be done with it; the file
// returned is the one at path once locked (a trim renames a new file into
// its place: its writers lock the old one, then find it replaced and open
// the new one). Closing the file lets the lock go.
func lockErasureLog(path string, flag int) (*os.File, error) {
	for {
		f, err := os.OpenFile(path, flag, 0)
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			f.Close()
			return nil, err
		}
		held, herr := f.Stat()
		now, nerr := os.Stat(path)
		if herr == nil && nerr == nil && os.SameFile(held, now) {
			return f, nil
		}
		f.Close()
		if err := errors.Join(herr, nerr); err != nil {
			return nil, err
		}
	}
}

// trimErasureLog drops from the erasure log at path the identifiers (the
// keyed hashes) of the erasures made before cut, retention.erasure_days
// ago: with the salt on the log's first line, whoever reads the log could
// test an email or a phone number against them. Each entry stays, with
// its time and flags, so that a restored backup taken before it is still
// known to hold an erasure syncd cannot make again. It rewrites the log
// under its lock, into a new file renamed into place, and returns how many
// entries lost their identifiers; no log, or nothing to drop, is 0.
func trimErasureLog(path string, cut time.Time) (int, error) {
	f, err := lockErasureLog(path, os.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("erasure log: %w", err)
	}
	defer f.Close()
	lines, n, err := trimmedLines(f, cut)
	if err != nil || n == 0 {
		return 0, err
	}
	tmp := path + ".trim"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, fmt.Errorf("erasure log: %w", err)
	}
	sameOwner(out, filepath.Dir(path))
	_, err = out.Write(bytes.Join(lines, nil))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("erasure log: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil { // the rename, on disk
		d.Sync()
		d.Close()
	}
	return n, nil
}

// trimmedLines reads the log f and returns its lines (each with its line
// end) with the identifiers of the entries made before cut dropped, and
// how many entries lost them. A line that does not read (torn by a crash)
// is left out: readErasureLog skips it anyway.
func trimmedLines(f *os.File, cut time.Time) ([][]byte, int, error) {
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return nil, 0, fmt.Errorf("erasure log: %s: no salt on its first line", f.Name())
	}
	lines, n := [][]byte{append(slices.Clone(sc.Bytes()), '\n')}, 0
	for sc.Scan() {
		var e erasureEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		line := append(slices.Clone(sc.Bytes()), '\n')
		if e.At.Before(cut) && !e.forgotten() {
			e.Email, e.Phone = nil, nil
			b, err := json.Marshal(e)
			if err != nil {
				return nil, 0, fmt.Errorf("erasure log: %w", err)
			}
			line, n = append(b, '\n'), n+1
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("erasure log: %w", err)
	}
	return lines, n, nil
}

// forgotten says whether e's identifiers were dropped (trimErasureLog):
// nothing tells whom it erased. The event ids of an erase -event are no
// personal data, and are kept.
func (e erasureEntry) forgotten() bool {
	return len(e.Email)+len(e.Phone)+len(e.Events) == 0
}

// newErasureLog makes the log at path, readable by its owner only, with a
// new random salt (and its directory, when there is none), and returns
// the salt.
func newErasureLog(path string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("erasure log: %w", err)
	}
	head, _ := json.Marshal(erasureLogHead{Salt: hex.EncodeToString(b)})
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil { // PostgreSQL's data directory may hold nothing yet
		return "", fmt.Errorf("erasure log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("erasure log: %w", err)
	}
	sameOwner(f, filepath.Dir(path))
	_, err = f.Write(append(head, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("erasure log: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// readErasureLog reads the log at path: none (no salt) when there is no
// log. A line that does not read (one torn by a crash) is skipped.
func readErasureLog(path string) (salt string, entries []erasureEntry, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("erasure log: %w", err)
	}
	defer f.Close()
	return readErasureLogFile(f)
}

// readErasureLogFile reads the log open as f, from its start, as
// readErasureLog does.
func readErasureLogFile(f *os.File) (salt string, entries []erasureEntry, err error) {
	sc := bufio.NewScanner(f)
	var head erasureLogHead
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &head) != nil || head.Salt == "" {
		return "", nil, fmt.Errorf("erasure log: %s: no salt on its first line", f.Name())
	}
	for sc.Scan() {
		var e erasureEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			entries = append(entries, e)
		}
	}
	if err := sc.Err(); err != nil {
		return "", nil, fmt.Errorf("erasure log: %w", err)
	}
	return head.Salt, entries, nil
}

func keyedHashes(salt string, keys []string) []string {
	var out []string
	for _, k := range keys {
		out = append(out, syncd.AuditHash(salt, k))
	}
	return out
}

// sameSubject says whether e and o were given one identifier alike, or,
// of erase -event, the same events.
func (e erasureEntry) sameSubject(o erasureEntry) bool {
	if len(e.Events) > 0 {
		return slices.Equal(e.Events, o.Events)
	}
	for _, h := range append(slices.Clone(e.Email), e.Phone...) {
		if slices.Contains(o.Email, h) || slices.Contains(o.Phone, h) {
			return true
		}
	}
	return false
}

// match finds among keys the identifiers e was made with: one key for its
// email and one for its phone, each when given.
func (e erasureEntry) match(salt string, keys []string) (email, phone string, ok bool) {
	for _, k := range keys {
		h := syncd.AuditHash(salt, k)
		if email == "" && slices.Contains(e.Email, h) {
			email = k
		}
		if phone == "" && slices.Contains(e.Phone, h) {
			phone = k
		}
	}
	return email, phone, (len(e.Email) == 0 || email != "") && (len(e.Phone) == 0 || phone != "")
}

// madeAfter reports whether e was made after taken, by the audit's time
// of it: the audit keeps microseconds, the log nanoseconds. A plain copy
// of a restored backup taken after its first start is taken for a backup
// taken at the newest thing it holds (markOlderCopy), the row of the
// erasure made again there, whose entry is nanoseconds newer than its own
// row: by the log's time alone it was made after the copy ("ERASURE
// UNDONE", an error at the start).
func (e erasureEntry) madeAfter(taken time.Time) bool {
	return e.At.Truncate(time.Microsecond).After(taken)
}

// undoneErasures are the erasures of entries a backup taken at taken may
// hold undone, once restored (first opened at opened, first served at
// restoredAt; zero: not yet): made after it was taken, neither on this
// restore nor again since. With held, only those of data received before
// it was taken, which it holds for certain (a lead received after the
// backup and erased is not in it; its person may be, by an earlier lead).
func undoneErasures(entries []erasureEntry, taken, opened, restoredAt time.Time, held bool) []erasureEntry {
	onThis := func(e erasureEntry) bool {
		return !opened.IsZero() && e.OnRestore.Equal(opened) || !restoredAt.IsZero() && !e.At.Before(restoredAt)
	}
	var out []erasureEntry
	for _, e := range entries {
		if !e.madeAfter(taken) || onThis(e) || held && !e.holds(taken) || e.forgotten() {
			continue
		}
		if !slices.ContainsFunc(entries, func(o erasureEntry) bool { return onThis(o) && o.sameSubject(e) }) {
			out = append(out, e)
		}
	}
	return out
}

// forgottenErasures are the erasures of entries a backup taken at taken
// holds undone, once restored (first opened at opened), whose identifiers
// were dropped past retention.erasure_days (trimErasureLog): made after it
// was taken of data received before, not on this restore. Nothing tells
// whom they erased, so syncd cannot make them again.
func forgottenErasures(entries []erasureEntry, taken, opened time.Time) []erasureEntry {
	var out []erasureEntry
	for _, e := range entries {
		onThis := !opened.IsZero() && e.OnRestore.Equal(opened)
		if e.forgotten() && e.madeAfter(taken) && e.holds(taken) && !onThis && !e.Again {
			out = append(out, e)
		}
	}
	return out
}

// erasedInBackups are the backups syncd backup made, still at their path,
// that hold what an erasure of s in lg, the erasure log beside the
// database, removed: taken from the first thing it erased until it ran. Once erased,
// the person's data no longer tells which backups hold them. None without
// a log (PostgreSQL makes no such backups).
func erasedInBackups(ctx context.Context, db stateReader, cfg *config.Config, lg erasureLog, s syncd.Subject) ([]madeBackup, error) {
	salt, entries := lg.salt, lg.entries
	if lg.unread != nil || len(entries) == 0 {
		return nil, lg.unread
	}
	hashes := keyedHashes(salt, s.KeyValues())
	entries = slices.DeleteFunc(entries, func(e erasureEntry) bool {
		return e.First.IsZero() || !slices.ContainsFunc(append(slices.Clone(e.Email), e.Phone...), func(h string) bool {
			return slices.Contains(hashes, h)
		})
	})
	if len(entries) == 0 {
		return nil, nil
	}
	list, err := madeBackups(ctx, db)
	self := sqlitePath(cfg)
	return slices.DeleteFunc(list, func(b madeBackup) bool {
		return !exists(b.Path) || sameFile(b.Path, self) || !slices.ContainsFunc(entries, func(e erasureEntry) bool {
			return e.holds(b.TakenAt) && b.TakenAt.Before(e.At)
		})
	}), err
}

// holds says whether a backup taken at taken holds what e erased.
func (e erasureEntry) holds(taken time.Time) bool {
	return !e.First.IsZero() && !e.First.After(taken)
}

// eraseAgain erases again, on a backup taken at taken and restored at
// restoredAt, the people the erasure log beside it says were erased after
// it was taken, before the daemon maps or sends anything, and logs what it
// did and what it could not.
func eraseAgain(ctx context.Context, cfg *config.Config, st store, taken, restoredAt time.Time, log zerolog.Logger) error {
	path := erasureLogPath(cfg)
	db, ok := st.(*sqlite.DB)
	if taken.IsZero() || path == "" || !ok {
		return nil
	}
	salt, entries, err := readErasureLog(path)
	if err != nil {
		return err
	}
	opened := restoreOpened(ctx, db)
	for _, e := range forgottenErasures(entries, taken, opened) {
		log.Error().Time("erased_at", e.At).Str("fix", eraseAgainFix).
			Msg("an erasure made after the backup was taken is undone by the restore: its identifiers were dropped " +
				"past retention.erasure_days, so syncd cannot tell whom it erased")
	}
	undone := undoneErasures(entries, taken, opened, restoredAt, false)
	if len(undone) == 0 {
		return nil
	}
	keys, err := db.ContactKeys(ctx)
	if err != nil {
		return err
	}
	// Each erase searches the database (seconds on a year of leads).
	defer systemd.NewNotifier().Extending("erasing again the people erased after the backup was taken", 10*time.Second)()
	for _, e := range undone {
		if len(e.Events) > 0 && !e.holds(taken) {
			// Leads received after the backup was taken: it holds none of
			// them, and an event it holds under one of their ids is another
			// lead (of a database started afresh beside this log, which
			// numbered its events from 1 again).
			continue
		}
		er, err := eraseEntryAgain(ctx, cfg, db, path, salt, e, keys, opened)
		if errors.Is(err, errNotAmong) && !e.holds(taken) {
			continue // received after the backup: not in it
		}
		logErasedAgain(log, e, er, err, "an erasure made after the backup was taken is undone by the restore",
			"erasure made after the backup was taken applied again to the restored database")
	}
	return nil
}

// logErasedAgain logs the erasure e made again (er), or why it could not
// be (err: undone, then its cause).
func logErasedAgain(log zerolog.Logger, e erasureEntry, er syncd.Erasure, err error, undone, again string) {
	if err != nil {
		log.Error().Time("erased_at", e.At).Str("fix", eraseAgainFix).Msgf("%s: %v", undone, withoutContacts(err))
		return
	}
	// Not the audit's subject hash: a keyed hash of the person's email or
	// phone would outlive retention.erasure_days in the journal; erased_at
	// names the erasure (syncd export shows it).
	log.Warn().Time("erased_at", e.At).Int("events", er.Events).
		Int("quarantined", er.Quarantined).Int("outbox", er.Ops).Int("links", er.Links).Int("crm_erase_ops", er.CRMOps).
		Msg(again)
}

// errNotAmong: the person of an erasure is none of the contacts the
// database holds.
var errNotAmong = errors.New("the person is not among the contacts the restored database holds, so syncd cannot tell who it was")

// eraseAgainFix is what to do for an erasure the restore undid that syncd
// could not make again.
const eraseAgainFix = "run syncd erase again for that person (from your record of the erasure requests, by its time), " +
	"as it was run then (-crm, -others); syncd status names it until then"

// eraseEntryAgain erases the person of e again in db, whose contact keys
// are keys, and logs the erasure.
func eraseEntryAgain(ctx context.Context, cfg *config.Config, db store, path, salt string, e erasureEntry, keys []string, opened time.Time) (syncd.Erasure, error) {
	if len(e.Events) > 0 {
		return eraseEventsAgain(ctx, cfg, db, path, e, opened)
	}
	email, phone, ok := e.match(salt, keys)
	if !ok {
		return syncd.Erasure{}, errNotAmong
	}
	s, err := newSubject(cfg, email, phone)
	if err != nil {
		return syncd.Erasure{}, err
	}
	s.ID = auditID(cfg, s, email)
	pd, err := db.PersonData(ctx, s)
	if err != nil {
		return syncd.Erasure{}, err
	}
	others, err := otherContacts(cfg, email, phone, s, pd)
	if err == nil && len(others) > 0 && !e.Others {
		err = othersRefused(others)
	}
	if err != nil {
		return syncd.Erasure{}, err
	}
	s.Others = slices.Sorted(maps.Keys(others))
	s.Holds = personKeys(s, pd)
	target := ""
	if e.CRM {
		target = targetName(cfg)
	}
	er, err := db.Erase(ctx, s, pd, target)
	if err != nil && er.At.IsZero() {
		return er, err
	}
	_, rerr := rewriteReports(ctx, cfg, db, er.Received)
	again := erasureEntry{At: er.At, Email: e.Email, Phone: e.Phone, First: e.First, CRM: e.CRM, Others: e.Others, Again: true,
		OnRestore: opened, Audited: er.Audited, Settles: e.Audited}
	if e.Others {
		share := othersShareOf(pd, others)
		again.OthersErased = &share
	}
	return er, errors.Join(err, rerr, appendErasure(path, again))
}

// sameOwner gives f the owner of like (the data directory), when root makes it
// (sudo syncd erase): the daemon, which runs as the database's owner,
// reads the log on a restore, and later erases run as it append to it.
func sameOwner(f *os.File, like string) {
	if uid, gid, ok := ownerForRoot(like); ok {
		_ = f.Chown(uid, gid) // best effort: the log is still written, as root's
	}
}

// ownerForRoot is the owner and group of like (the database, the data
// directory) when this process runs as root: those of the user the daemon
// runs as, which what root makes for it is to have. ok is false when this
// process is not root or like cannot be read.
func ownerForRoot(like string) (uid, gid int, ok bool) {
	if os.Geteuid() != 0 {
		return 0, 0, false
	}
	st, err := os.Stat(like)
	if err != nil {
		return 0, 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(sys.Uid), int(sys.Gid), true
}

// loggedErasures adds to have (the audit entries found under s's hashes)
// those of the erasures the erasure log beside the database records under
// one of s's keys: the audit keeps one hash an erasure, the email's when
// erase was given both, so an export by the phone alone found none (it said
// "erasures": [] of a person erased by email and phone, the backups holding
// her named all the same from this log). Of an export -event, those of
// the erase -event runs given any of s's events: the audit keeps the hash
// of the ids as that erase was given them, so an export of one lead of
// several erased together (or given in another order) found none, and its
// text told the person "Erasures of your data: 0" under a lead it said was
// erased. The audit must hold the erasure at the time the log records:
// an entry of a database started afresh (whose event ids named other
// leads) finds none. Only erasures made on this host are in its log.
func loggedErasures(ctx context.Context, db store, lg erasureLog, s syncd.Subject, have []syncd.Erasure) ([]syncd.Erasure, error) {
	salt, entries := lg.salt, lg.entries
	if lg.unread != nil || len(entries) == 0 {
		return have, lg.unread
	}
	hashes := keyedHashes(salt, s.KeyValues())
	var at []time.Time
	for _, e := range entries {
		if slices.ContainsFunc(append(slices.Clone(e.Email), e.Phone...), func(h string) bool { return slices.Contains(hashes, h) }) ||
			slices.ContainsFunc(e.Events, func(id int64) bool { return slices.Contains(s.Events, id) }) {
			t := e.At
			if !e.Audited.IsZero() { // PostgreSQL's audit keeps the server's time
				t = e.Audited
			}
			at = append(at, t)
		}
	}
	found, err := db.ErasuresAt(ctx, at)
	for _, er := range found {
		if !slices.ContainsFunc(have, func(h syncd.Erasure) bool { return h.SubjectHash == er.SubjectHash && h.At.Equal(er.At) }) {
			have = append(have, er)
		}
	}
	slices.SortStableFunc(have, func(a, b syncd.Erasure) int { return a.At.Compare(b.At) })
	return have, err
}
