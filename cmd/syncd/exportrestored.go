package main

// A backup restored holds again the people erased after it was taken; the
// daemon's first start on it erases them again, from the erasure log
// beside the database (erasurelog.go). syncd export run on the restore
// before that start handed the DPO everything the person had erased, body
// and all, and no erasure (the audit was in the database the restore
// replaced). It refuses such a person instead, saying what makes the
// erasure again: refusing cannot hand over erased data, where leaving out
// what an erasure covered would have to redo, read-only, every choice of
// erase's (its -event, -others, the leads found by phone) and could leave
// some of it in; and the way out, starting syncd, is the restore's next
// step anyway.

import (
	"context"
	"slices"
	"strings"
	"time"

	"al.essio.dev/pkg/shellescape"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// undoneOf are the erasures of s (by a keyed hash of its identifiers, or
// by an event of pd's) that db, an SQLite database restored from a backup,
// holds undone, and when a daemon first served it (zero: not yet); of an
// s without identifiers (export -name, -event), whose person is not
// known, every erasure it holds undone. Before
// that first start every erasure of s made after the backup was taken and
// not on this restore counts, as the start looks for the person; after
// it, those it could not make again (status's ERASURE UNDONE).
func undoneOf(ctx context.Context, cfg *config.Config, db store, lg erasureLog, s syncd.Subject, pd syncd.PersonData) ([]erasureEntry, time.Time, error) {
	if sqlitePath(cfg) == "" {
		return nil, time.Time{}, nil
	}
	taken, at, err := restoreState(ctx, db)
	if err != nil || taken.IsZero() {
		return nil, time.Time{}, err
	}
	salt, entries := lg.salt, lg.entries
	if lg.unread != nil || salt == "" {
		return nil, at, lg.unread
	}
	hashes, events := keyedHashes(salt, s.KeyValues()), foundEvents(pd)
	var out []erasureEntry
	for _, e := range undoneErasures(entries, taken, restoreOpened(ctx, db), at, !at.IsZero()) {
		if len(s.Keys) == 0 ||
			slices.ContainsFunc(append(slices.Clone(e.Email), e.Phone...), func(h string) bool { return slices.Contains(hashes, h) }) ||
			slices.ContainsFunc(e.Events, func(id int64) bool { return events[id] }) {
			out = append(out, e)
		}
	}
	return out, at, nil
}

// refusedUndone says why export refuses a person (known: by an email or
// phone) of whom undone are the erasures db, a restored backup first
// served at at (zero: not yet), holds undone, and what to do: start syncd,
// as the service (systemctl, syncd@NAME for an agency's file: forInstance)
// or by hand (syncd serve -config FILE, as status says of a daemon
// stopped). It said systemctl start syncd alone, which starts no daemon on
// a file served by hand, or starts syncd.service's on another file.
func (c *cli) refusedUndone(ctx context.Context, cfg *config.Config, db store, undone []erasureEntry, at time.Time, known bool) {
	clk := clockOf(cfg)
	whom := "this person"
	if !known {
		whom = "someone whose data this export may hold"
	}
	taken, _, _ := restoreState(ctx, db)
	var when []string
	for _, e := range undone {
		when = append(when, clk.show(e.At))
	}
	if at.IsZero() {
		c.errorf("refused: the database is a backup taken at %s, restored, that no syncd has started on "+
			"yet: the erasure log beside it records an erasure of %s at %s, made after the backup was taken, which it "+
			"holds undone; the daemon's first start erases the person again (syncd status says so): start syncd (systemctl "+
			"start syncd; by hand, syncd serve -config %s), then export: an export now would hand over what the person had erased",
			clk.show(taken), whom, strings.Join(when, ", "), shellescape.Quote(abs(cfg.File)))
		return
	}
	c.errorf("refused: the database is a backup taken at %s, restored: the erasure log beside it "+
		"records an erasure of %s at %s, made after the backup was taken, that the first start on it could not make "+
		"again (syncd status: ERASURE UNDONE): run syncd erase again for that person, as then (-crm, -others), then export: "+
		"an export now would hand over what the person had erased", clk.show(taken), whom, strings.Join(when, ", "))
}

// notUndone says whether export may hand over pd, read for s: not when db,
// a restored backup, holds undone an erasure of s (undoneOf, by lg, the
// erasure log), or when lg, which would tell, does not read (logReadable), which it says,
// with the exit status (5). unread is why the erasure log does not read
// (nil: it reads, or there is none): export goes on without it elsewhere.
func (c *cli) notUndone(ctx context.Context, cfg *config.Config, db store, lg erasureLog, s syncd.Subject, pd syncd.PersonData) (code int, ok bool, unread error) {
	if code, ok, unread = c.logReadable(ctx, cfg, db, lg); !ok || unread != nil {
		return code, ok, unread
	}
	undone, at, err := undoneOf(ctx, cfg, db, lg, s, pd)
	if err != nil {
		return c.fail(err), false, nil
	}
	if len(undone) > 0 {
		c.refusedUndone(ctx, cfg, db, undone, at, len(s.Keys) > 0)
		return exitAttention, false, nil
	}
	return exitOK, true, nil
}
