package main

// On PostgreSQL the database's backups are its own (pg_dump, base
// backups), and one restored brings back, with an audit trail as old as
// the rest, whoever was erased after it was taken. Each instance keeps the
// erasures run on its host in the erasure log in its data directory
// (erasurelog.go, as SQLite's: keyed hashes only), with the time the audit
// records each at. At its start and every hour it looks for those the
// audit no longer holds: the person of one, found again among the
// database's contacts, is erased again, as then, and said; one it cannot
// erase again is an error line, `syncd status` says ERASURE UNDONE, and
// syncd_restore_erasures_undone counts it. An instance added later, or
// whose data directory was lost, holds none of the erasures run before.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// pgOf is the PostgreSQL database under st; nil on another store.
func pgOf(st store) *postgres.DB {
	if b, ok := st.(*backend); ok {
		st = b.store
	}
	db, _ := st.(*postgres.DB)
	return db
}

// lostErasures are the entries of the log that db's audit trail lacks,
// undone by a restore of the database, none since dealt with (Settles):
// those whose identifiers were dropped past retention.erasure_days are
// forgotten, nothing telling whom they erased.
func lostErasures(ctx context.Context, db *postgres.DB, entries []erasureEntry) (lost, forgotten []erasureEntry, err error) {
	var ats []time.Time
	for _, e := range entries {
		if !e.Audited.IsZero() {
			ats = append(ats, e.Audited)
		}
	}
	if len(ats) == 0 {
		return nil, nil, nil
	}
	known, err := db.Audited(ctx, ats)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		if e.Audited.IsZero() || slices.ContainsFunc(known, e.Audited.Equal) ||
			slices.ContainsFunc(entries, func(o erasureEntry) bool { return o.Settles.Equal(e.Audited) || o.redoes(e, known) }) {
			continue
		}
		if e.forgotten() {
			forgotten = append(forgotten, e)
		} else {
			lost = append(lost, e)
		}
	}
	return lost, forgotten, nil
}

// redoes says whether o is a later erase of e's person (given one
// identifier alike) that the audit trail holds (known): the operator ran
// syncd erase again, as status asks of an erasure syncd cannot make again.
func (o erasureEntry) redoes(e erasureEntry, known []time.Time) bool {
	return !o.Again && o.At.After(e.At) && slices.ContainsFunc(known, o.Audited.Equal) && o.sameSubject(e)
}

// mayHold says whether db holds data that may be the person of e, lost
// to a restore, whom none of its contacts names (e.heldAgain false): what
// it kept of the leads and quarantined bodies received from the first
// thing e erased until e, which a backup taken before that first thing
// does not hold. The person may be in them under identifiers the
// contacts are not keyed by (erased by a phone, contacts keyed by email)
// or in bodies no contact came from: syncd cannot tell.
func mayHold(ctx context.Context, db *postgres.DB, e erasureEntry) (bool, error) {
	if e.First.IsZero() || !e.First.Before(e.At) {
		return false, nil
	}
	f := syncd.EventFilter{Since: e.First, Until: e.At, Kept: true}
	n, err := db.CountEvents(ctx, f)
	if err != nil || n > 0 {
		return n > 0, err
	}
	n, err = db.CountQuarantined(ctx, f)
	return n > 0, err
}

// heldAgain says whether any identifier e was given is among the
// database's contact keys: the person is in it again. An erase -event's
// events are erased again by their ids (eraseEventsAgain), whatever the
// contacts.
func (e erasureEntry) heldAgain(salt string, keys []string) bool {
	return len(e.Events) > 0 || slices.ContainsFunc(keyedHashes(salt, keys), func(h string) bool {
		return slices.Contains(e.Email, h) || slices.Contains(e.Phone, h)
	})
}

// pgRestoreFindings is what `syncd status` says of the erasures this
// host's log holds that a restore of the PostgreSQL database undid and
// that are not made again yet: those whose person it holds again. Nil
// when there are none.
func pgRestoreFindings(ctx context.Context, cfg *config.Config, st store) (*RestoreStatus, error) {
	db := pgOf(st)
	path := erasureLogPath(cfg)
	if db == nil || path == "" {
		return nil, nil
	}
	salt, entries, err := readErasureLog(path)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	lost, _, err := lostErasures(ctx, db, entries)
	if err != nil || len(lost) == 0 {
		return nil, err
	}
	keys, err := db.ContactKeys(ctx)
	if err != nil {
		return nil, err
	}
	r := &RestoreStatus{Logged: true, Postgres: true}
	for _, e := range lost {
		held := e.heldAgain(salt, keys)
		if !held {
			may, err := mayHold(ctx, db, e)
			if err != nil {
				return nil, err
			}
			if !may {
				continue
			}
			r.Untold = append(r.Untold, e.At)
		}
		r.Undone = append(r.Undone, e.At)
	}
	if len(r.Undone) == 0 {
		return nil, nil
	}
	return r, nil
}

// eraseLostAgain erases again, on PostgreSQL, the people of the erasures
// this host's log holds that a restore of the database undid (see
// lostErasures), and logs what it did and what it could not. atStart: the
// instance's start, which also names the forgotten ones.
func eraseLostAgain(ctx context.Context, cfg *config.Config, st store, atStart bool, log zerolog.Logger) error {
	db := pgOf(st)
	path := erasureLogPath(cfg)
	if db == nil || path == "" {
		return nil
	}
	salt, entries, err := readErasureLog(path)
	if err != nil || len(entries) == 0 {
		return err
	}
	lost, forgotten, err := lostErasures(ctx, db, entries)
	if err != nil {
		return err
	}
	if atStart {
		for _, e := range forgotten {
			log.Error().Time("erased_at", e.At).Str("fix", eraseAgainFix).
				Msg("an erasure run on this host is not in the database, undone by a restore of it: its identifiers were dropped " +
					"past retention.erasure_days, so syncd cannot tell whom it erased")
		}
	}
	if len(lost) == 0 {
		return nil
	}
	keys, err := db.ContactKeys(ctx)
	if err != nil {
		return err
	}
	for _, e := range lost {
		held := e.heldAgain(salt, keys)
		may := false
		if !held {
			if may, err = mayHold(ctx, db, e); err != nil {
				return err
			}
		}
		if may {
			log.Error().Time("erased_at", e.At).Str("fix", eraseAgainFix).Msg("an erasure run on this host is undone by a restore " +
				"of the database, which holds leads received since the person's first: " + errNotAmong.Error())
			continue
		}
		if !held { // the backup restored was taken before the person's first lead, or nothing of it is kept
			settled := erasureEntry{At: time.Now(), Email: e.Email, Phone: e.Phone, Again: true, Settles: e.Audited}
			if err := appendErasure(path, settled); err != nil {
				return err
			}
			log.Info().Time("erased_at", e.At).Msg("an erasure run on this host is not in the database (a backup of it restored): " +
				"it holds nothing received from the person's first lead to the erasure, nothing to erase again")
			continue
		}
		er, err := eraseEntryAgain(ctx, cfg, db, path, salt, e, keys, time.Time{})
		if errors.Is(err, errNotAmong) {
			err = errors.New("the person's contacts in the database match only some of the identifiers it was given, so syncd cannot tell it is them")
		}
		logErasedAgain(log, e, er, err, "an erasure run on this host is undone by a restore of the database",
			"erasure run on this host, undone by a restore of the database, applied again")
	}
	return nil
}
