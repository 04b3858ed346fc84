package syncd

import (
	"fmt"
	"time"
)

// The filters and summaries below are what the stores (internal/sqlite,
// internal/postgres) answer with, so that every store speaks the same
// types and the commands that read them do not depend on one store.

// EventFilter selects events. Zero fields do not filter.
type EventFilter struct {
	Source   string
	Kind     Kind
	Since    time.Time // received at or after
	Until    time.Time // received before
	AfterID  int64     // id greater than
	BeforeID int64     // id less than, when not 0 (for paging newest first)
	MapState MapState
	Limit    int  // 0 means no limit
	Newest   bool // newest first (descending id) instead of id order
	Kept     bool // only events whose body is held: not erased, not purged
	// Waiting selects, of quarantined bodies, those waiting for a person
	// (Quarantine.Waits); it does not apply to events.
	Waiting bool
	// Unattended selects, of events, the unmappable leads that wait for a
	// person: not recorded as dealt with (Event.DealtAt), their bodies
	// held; with it MapState and Kept are not needed.
	Unattended bool
}

// OrderLimit is the ORDER BY and LIMIT clause (with its leading space) of
// a listing f selects: id order, newest first with f.Newest, at most
// f.Limit rows when it is above 0.
func (f EventFilter) OrderLimit() string {
	q := ` ORDER BY id`
	if f.Newest {
		q += ` DESC`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return q
}

// OpFilter selects outbox operations. Zero fields match everything.
type OpFilter struct {
	State  OpState
	Target string
	Kind   RecordKind
	// AfterID lists only operations with a larger id (for paging).
	AfterID int64
	// BeforeID, when not 0, lists only operations with a smaller id (for
	// paging newest first).
	BeforeID int64
	// Limit caps the result (0: 100; negative: no limit).
	Limit int
	// Newest lists newest first (descending id) instead of in id order.
	Newest bool
}

// PendingLeft is what a target's pending operations that no lease holds
// come to, as the line `syncd sync` ends with says it: how many, and the
// earliest next attempt of one that waits behind no other pending
// operation (as the claim holds a deal behind its contact, and writes to
// one record in order); NextDue is zero when each of them waits behind
// another, or when there are none.
type PendingLeft struct {
	Count   int
	NextDue time.Time
}

// OutboxDepth is the outbox of one target by state, for metrics and status.
type OutboxDepth struct {
	Target  string
	Pending int
	Done    int
	Dead    int
	// GivenUp is how many of Dead were given up by hand (DeadGivenUp).
	GivenUp int
	// OtherAccount is how many of Dead, not given up, are CRM erasures of
	// an earlier account (DeadOtherAccount): a person erases them by hand.
	OtherAccount int
	// OtherAccountGivenUp is how many of GivenUp are such erasures done
	// by hand (DeadOtherAccountGivenUp): no retry sends them, and nothing
	// is left to do.
	OtherAccountGivenUp int
	// OldestPending is when the oldest pending operation was enqueued; zero
	// when none is pending.
	OldestPending time.Time
	// Leased is how many of Pending a lease holds now (a syncer sends
	// them, or one that stopped mid-send held them: nothing else sends
	// them before it ends), and LeaseUntil when the last such lease ends
	// (zero when none runs).
	Leased     int
	LeaseUntil time.Time
}

// Instance is one running daemon sharing a store with others, as its
// heartbeat last recorded it.
type Instance struct {
	ID        string // host:pid:random, new at every start
	Host      string
	PID       int
	Listen    string
	StartedAt time.Time
	SeenAt    time.Time
	Leads     []string // the parts it leads: "sync", "report"
	Version   string   // the syncd version it runs; "" for a syncd that did not record it
	Schema    int      // the newest database schema its syncd knows; 0 when not recorded
	// Settings is what the instance's configuration says about the
	// settings that must agree across instances, as it recorded them
	// (opaque here); "" for a syncd that did not record them.
	Settings string
	// SettingsAt is when the instance recorded Settings: its start or its
	// last reload that changed them; zero when not recorded.
	SettingsAt time.Time
	// ReloadRejectedAt is when the instance recorded that its last
	// configuration reload was rejected (it runs on the one before); zero
	// when its last reload succeeded, or none was made.
	ReloadRejectedAt time.Time
	// Gone: every database session of the instance has ended, though its
	// row is fresh: killed or crashed (the server ends a killed process's
	// sessions at once). False for a syncd that does not mark its
	// sessions, and for one whose sessions cannot be told.
	Gone bool
}
