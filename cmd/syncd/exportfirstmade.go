package main

import (
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// erasuresFirstMade sets, on each of ers that an erasure made again on a
// restored backup recorded (an entry of lg, the erasure log, Again, at its
// time), when the erasure it made again was first made: the restored
// audit holds the one made again only, at the time of the restore, so
// "when was I erased?" would be answered with that. An erasure the log
// does not say was made again is left as it is; without a log (another
// host's erasure on PostgreSQL, a log lost) nothing is known of it.
func erasuresFirstMade(lg erasureLog, ers []exportErasure) {
	entries := lg.entries
	if len(ers) == 0 || len(entries) == 0 {
		return
	}
	for i := range ers {
		for _, e := range entries {
			if !e.Again || syncd.FormatTime(audited(e)) != syncd.FormatTime(ers[i].At) {
				continue
			}
			if first, ok := firstMade(entries, e); ok {
				at := first.In(ers[i].At.Location())
				ers[i].FirstMadeAt = &at
			}
			break
		}
	}
}

// audited is when the database's audit records the erasure of e.
func audited(e erasureEntry) time.Time {
	if !e.Audited.IsZero() { // PostgreSQL's audit keeps the server's time
		return e.Audited
	}
	return e.At
}

// firstMade is when the erasure that again (an entry Again) made again
// was made: the one it settles, or else the latest erasure of the same person, of the same first
// lead, made before it and not itself made again (a backup restored twice
// makes the first erasure again each time).
func firstMade(entries []erasureEntry, again erasureEntry) (time.Time, bool) {
	if !again.Settles.IsZero() { // PostgreSQL's: the audit time of the one it made again
		return again.Settles, true
	}
	var at time.Time
	for _, e := range entries {
		if e.Again || !e.At.Before(again.At) || !e.First.Equal(again.First) || !e.sameSubject(again) {
			continue
		}
		if t := audited(e); t.After(at) {
			at = t
		}
	}
	return at, !at.IsZero()
}
