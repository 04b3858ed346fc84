package config

import "fmt"

// Retention is how long personal data is kept, in days; 0 keeps that kind
// of data for ever. The daily purge runs after the report. Rows without
// personal data (an event's source, type, times and idempotency key; the
// reports' counts; the erasure audit's times and counts) are kept: the
// counts, duplicate detection and accountability need them.
type Retention struct {
	// EventDays: bodies of events, counted from the later of receipt and
	// the last change of their CRM operations, once nothing is pending
	// (default 90).
	EventDays int `yaml:"event_days"`
	// QuarantineDays: quarantined bodies, from their last delivery
	// (default 90).
	QuarantineDays int `yaml:"quarantine_days"`
	// OutboxDays: finished (done or dead) CRM operations, whose properties
	// hold the person's data, from their last change (default 90).
	OutboxDays int `yaml:"outbox_days"`
	// LinkDays: CRM links (a contact's email or phone to its CRM id), from
	// when recorded (default 0: kept, since a link is what stops a returning
	// person becoming a second contact in Pipedrive, and in HubSpot once a
	// salesperson changed the contact's email there).
	LinkDays int `yaml:"link_days"`
	// ErasureDays: the identifiers an erasure was made under, from the
	// erasure (default 365): the keyed hashes of the email and phone in the
	// erasure audit and in the erasure log beside an SQLite database, which
	// whoever holds the salt beside them can test an address or a number
	// against. Meanwhile syncd export finds the person's erasure, and the
	// first start on a restored backup taken before it erases the person
	// again: keep backups for less. After it the entry (time, counts) stays
	// without them.
	ErasureDays int `yaml:"erasure_days"`
}

// Default retention, in days.
const DefaultRetentionDays = 90

// DefaultErasureDays is how long an erasure's identifiers are kept by
// default: longer than backups are kept.
const DefaultErasureDays = 365

func (l *loader) retentionDefaults(r *Retention) {
	for _, d := range []struct {
		key string
		v   *int
	}{{"event_days", &r.EventDays}, {"quarantine_days", &r.QuarantineDays}, {"outbox_days", &r.OutboxDays}} {
		if !l.has("retention", d.key) {
			*d.v = DefaultRetentionDays
		}
	}
	if !l.has("retention", "erasure_days") {
		r.ErasureDays = DefaultErasureDays
	}
}

// validateRetention refuses a negative number of days, naming the key's
// default as every other negative refusal does (it said "must be 0 (keep)
// or more days" alone), and warns of data kept for ever.
func (l *loader) validateRetention(r Retention) {
	for _, d := range []struct {
		key string
		v   int
		def int
	}{{"event_days", r.EventDays, DefaultRetentionDays}, {"quarantine_days", r.QuarantineDays, DefaultRetentionDays},
		{"outbox_days", r.OutboxDays, DefaultRetentionDays}, {"link_days", r.LinkDays, 0},
		{"erasure_days", r.ErasureDays, DefaultErasureDays}} {
		switch {
		case d.v >= 0:
		case d.def == 0:
			l.at([]string{"retention", d.key}, "retention.%s %d must not be negative: write 0, the default, to keep them for ever "+
				"(or leave the key out), or the days to keep them", d.key, d.v)
		default:
			l.at([]string{"retention", d.key}, "retention.%s %d must not be negative: write the days to keep them, as %d, the default "+
				"(or leave the key out), or 0 to keep them for ever", d.key, d.v, d.def)
		}
	}
	l.warnForEver(r)
}

// keptForEver says, of each kind of data retention may keep for ever, the
// personal data it holds.
var keptForEver = []struct{ key, what string }{
	{"event_days", "the enquiries' bodies (names, emails, phones, messages)"},
	{"quarantine_days", "the quarantined bodies (leads as received)"},
	{"outbox_days", "the finished CRM operations (the contact and deal properties sent)"},
}

// warnForEver warns, at its line, of a retention of 0 days for data that
// holds personal data: it is kept for ever, where the GDPR's storage
// limitation asks for a period. syncd validate said nothing of it; only
// syncd purge said "kept for ever". link_days 0, the default, is no
// warning: a link is what stops a returning person becoming a second
// contact.
func (l *loader) warnForEver(r Retention) {
	days := map[string]int{"event_days": r.EventDays, "quarantine_days": r.QuarantineDays, "outbox_days": r.OutboxDays}
	for _, k := range keptForEver {
		if days[k.key] != 0 {
			continue
		}
		l.warnings = append(l.warnings, Problem{File: l.file, Line: l.line([]string{"retention", k.key}), Msg: fmt.Sprintf(
			"retention %s 0 keeps %s for ever, where data protection asks for a period: write the days to keep them "+
				"(%d is the default), or record in your processing records why they are kept for ever", k.key, k.what, DefaultRetentionDays)})
	}
}
