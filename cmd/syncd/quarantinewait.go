package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// quarantineShown is how many of the quarantined bodies waiting status
// names by id; the others are counted.
const quarantineShown = 5

// waitingBody is one of the quarantined bodies waiting for a person that
// status names: its id, when it was received, whether its body reads as a
// lead as it is, and whether it is a changed delivery (the same eaf_id as
// a stored event, another body), which `syncd events repair ID` records as
// its event's with no copy. A body that reads and is none was kept by an
// earlier syncd that did not read it; the others did not read (not JSON,
// not UTF-8) and need a corrected copy, or are no lead.
type waitingBody struct {
	ID       int64
	Received time.Time
	Reads    bool
	Changed  bool
	IDField  string // the field of the sender's delivery id (eaf_id); "" for a sender without one
	// Compressed is the content coding a body not read was sent in
	// ("gzip", "(other)"); "" for one sent plain.
	Compressed string
}

// quarantineWaiting puts into s the quarantined bodies that wait for a
// person: not repaired into an event, not dismissed as no lead, their
// bodies held; maxDepth is intake.max_depth, by which they read or not. Status said nothing of them, exit 0, so a lead whose body
// did not parse waited unseen by a monitoring script.
func quarantineWaiting(ctx context.Context, db store, maxDepth int, s *Snapshot) error {
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
	s.QuarantineWaiting, s.QuarantineShown = n, nil
	for _, q := range qs {
		s.QuarantineShown = append(s.QuarantineShown, waitingBodyOf(q, maxDepth))
	}
	return nil
}

// waitingBodyOf is quarantined body q as status names it, read with
// maxDepth (intake.max_depth).
func waitingBodyOf(q syncd.Quarantine, maxDepth int) waitingBody {
	b := waitingBody{ID: q.ID, Received: q.ReceivedAt, Reads: readsAsIs(q, maxDepth)}
	if snd := sender.For(q.Kind); snd != nil {
		b.IDField = snd.IDField
	}
	b.Changed = b.Reads && changedDelivery(q, maxDepth)
	if !b.Reads && webhook.SentCompressed(q.Reason) {
		b.Compressed = "(other)"
		if bytes.HasPrefix(q.Body, []byte{0x1f, 0x8b}) {
			b.Compressed = "gzip"
		}
	}
	return b
}

// changedDelivery says whether quarantined body q is a changed delivery of
// a stored event, as the intake recorded when it kept it (q.ChangedOf).
// A body kept by a syncd that recorded nothing is judged by reading it, as
// before: one that reads as it is, of a sender with a delivery id, was
// taken for one, though it may be a body that syncd could not read.
func changedDelivery(q syncd.Quarantine, maxDepth int) bool {
	if q.ChangedOf != syncd.ChangedUnknown {
		return q.ChangedOf > 0
	}
	snd := sender.For(q.Kind)
	return snd != nil && snd.IDField != "" && readsAsIs(q, maxDepth)
}

// readsAsIs says whether quarantined body q reads as a lead as it is, by
// the receiver's own rules, with its configured depth limit maxDepth
// (intake.max_depth), as syncd events repair reads it: a changed delivery
// of a stored lead. With the default limit, status called a body deeper
// than a lower limit readable (repair then refused it) and one within a
// higher limit unread, advising a dismiss that drops a changed lead.
func readsAsIs(q syncd.Quarantine, maxDepth int) bool {
	d := sender.Decode(q.Kind, q.Body, maxDepth)
	return len(q.Body) > 0 && d.Reason == "" && d.Unrecognised == ""
}

func wrapQuarantine(err error) error {
	if err != nil {
		return fmt.Errorf("quarantined bodies waiting: %w", err)
	}
	return nil
}

// quarantineLines prints the quarantined bodies waiting for a person into
// the status table w, each named with what it is and its way out, typed
// as it must be: none when none waits. They wait whenever they were
// received, where the events line counts deliveries since the daemon
// started, a changed delivery among the duplicates: the line said "a
// changed delivery: ... syncd events dismiss ID", which drops the body
// and records it as no lead.
func quarantineLines(w io.Writer, clk clock, s Snapshot) {
	n := s.QuarantineWaiting
	if n == 0 {
		return
	}
	if len(s.QuarantineShown) == 0 { // the daemon's count: the database not read here
		fmt.Fprintf(w, "quarantine\t%s for a person, however long ago received (the daemon's count; "+
			"syncd events list -quarantined, run as the daemon's user or root, names them)\n", bodiesWait(n))
		return
	}
	ids := make([]int64, len(s.QuarantineShown))
	for i, b := range s.QuarantineShown {
		ids[i] = b.ID
	}
	which := waitingWhich("id", "ids", ids, n, "syncd events list -quarantined")
	fmt.Fprintf(w, "quarantine\t%s for a person (%s), however long ago received; syncd events show -quarantined ID shows one\n",
		bodiesWait(n), which)
	for _, b := range s.QuarantineShown {
		fmt.Fprintf(w, "\t  id %d, received %s: %s\n", b.ID, clk.show(b.Received), waitingWayOut(b))
	}
}

// bodiesWait is "1 body WAITS", "3 bodies WAIT".
func bodiesWait(n int) string {
	if n == 1 {
		return "1 body WAITS"
	}
	return fmt.Sprintf("%d bodies WAIT", n)
}

// waitingWayOut says what quarantined body b is and what ends its wait,
// with its id in each command.
func waitingWayOut(b waitingBody) string {
	switch {
	case b.Changed:
		return fmt.Sprintf("a CHANGED delivery of a lead stored already (the same %s, another body): its event keeps the first "+
			"body, as mapped, and syncd sends none of this one to the CRM; enter what changed in the CRM by hand, then "+
			"syncd events repair %d (no copy needed: it records the body as its event's)", b.IDField, b.ID)
	case b.Reads: // kept by an earlier syncd, which did not read it: this one does
		return fmt.Sprintf("reads as a lead as it is: syncd events repair %d (no copy needed) stores it as an event", b.ID)
	case b.Compressed == "gzip": // "not JSON, not UTF-8", and a copy to correct that is gzip's bytes
		return fmt.Sprintf("sent gzip-compressed, which syncd does not read: ask the sender to send plain JSON; a lead: "+
			"syncd events show -quarantined -body %d | gunzip > FILE, correct FILE if need be, then syncd events repair %[1]d FILE; "+
			"no lead (junk, a test): syncd events dismiss %[1]d", b.ID)
	case b.Compressed != "":
		return fmt.Sprintf("sent compressed (its Content-Encoding), which syncd does not read: ask the sender to send plain JSON; "+
			"a lead: decompress a copy (syncd events show -quarantined -body %d > FILE saves one), then syncd events repair %[1]d FILE; "+
			"no lead (junk, a test): syncd events dismiss %[1]d", b.ID)
	}
	return fmt.Sprintf("not read as a lead (not JSON, not UTF-8): a lead: correct a copy (syncd events show -quarantined "+
		"-body %d > FILE saves one), then syncd events repair %[1]d FILE; no lead (junk, a test): syncd events dismiss %[1]d", b.ID)
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
