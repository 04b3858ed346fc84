package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// quarantineShown is how many of the quarantined bodies waiting status
// names by id; the others are counted.
const quarantineShown = 5

// quarantineWaiting puts into s the quarantined bodies that wait for a
// person: not repaired into an event, not dismissed as no lead, their
// bodies held. Status said nothing of them, exit 0, so a lead whose body
// did not parse waited unseen by a monitoring script.
func quarantineWaiting(ctx context.Context, db store, s *Snapshot) error {
	f := syncd.EventFilter{Waiting: true}
	n, err := db.CountQuarantined(ctx, f)
	if err != nil || n == 0 {
		return wrapQuarantine(err)
	}
	f.Newest, f.Limit = true, quarantineShown
	qs, err := db.Quarantined(ctx, f)
	if err != nil {
		return wrapQuarantine(err)
	}
	s.QuarantineWaiting, s.QuarantineWaitingIDs = n, nil
	for _, q := range qs {
		s.QuarantineWaitingIDs = append(s.QuarantineWaitingIDs, q.ID)
	}
	return nil
}

func wrapQuarantine(err error) error {
	if err != nil {
		return fmt.Errorf("quarantined bodies waiting: %w", err)
	}
	return nil
}

// quarantineLines prints the quarantined bodies waiting for a person into
// the status table w, with the ways out: none when none waits.
func quarantineLines(w io.Writer, s Snapshot) {
	n := s.QuarantineWaiting
	if n == 0 {
		return
	}
	which := waitingWhich("id", "ids", s.QuarantineWaitingIDs, n, "syncd events list -quarantined")
	bodies := fmt.Sprintf("%d bodies WAIT", n)
	if n == 1 {
		bodies = "1 body WAITS"
	}
	fmt.Fprintf(w, "quarantine\t%s for a person (%s): received but not read as a lead (not JSON, not UTF-8),"+
		" or a changed delivery of a stored lead; syncd events show -quarantined ID shows one\n"+
		"\t  a lead: correct a copy and run syncd events repair ID FILE; a changed delivery: correct the CRM by hand if need be,"+
		" then syncd events dismiss ID; no lead (junk, a test): syncd events dismiss ID\n", bodies, which)
}

// waitingWhich names the newest of n items waiting for a person by their
// ids ("id 7", "ids 9, 4"), and how many older ones there are, with where
// to see them (older): status's quarantine and unmapped lines.
func waitingWhich(one, many string, ids []int64, n int, older string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	which := many + " " + strings.Join(s, ", ")
	switch {
	case n == 1:
		which = one + " " + strings.Join(s, "")
	case n > len(s):
		which += fmt.Sprintf(", and %d older: %s", n-len(s), older)
	}
	return which
}
