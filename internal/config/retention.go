package config

// Retention is how long personal data is kept, in days; 0 keeps that kind
// of data for ever. The daily purge runs after the report. Rows without
// personal data (an event's source, type, times and idempotency key; the
// reports' counts; the erasure audit) are kept: the counts and duplicate
// detection need them.
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
	// person becoming a second contact in Pipedrive).
	LinkDays int `yaml:"link_days"`
}

// Default retention, in days.
const DefaultRetentionDays = 90

func (l *loader) retentionDefaults(r *Retention) {
	for _, d := range []struct {
		key string
		v   *int
	}{{"event_days", &r.EventDays}, {"quarantine_days", &r.QuarantineDays}, {"outbox_days", &r.OutboxDays}} {
		if !l.has("retention", d.key) {
			*d.v = DefaultRetentionDays
		}
	}
}

func (l *loader) validateRetention(r Retention) {
	for _, d := range []struct {
		key string
		v   int
	}{{"event_days", r.EventDays}, {"quarantine_days", r.QuarantineDays}, {"outbox_days", r.OutboxDays}, {"link_days", r.LinkDays}} {
		if d.v < 0 {
			l.at([]string{"retention", d.key}, "retention %s must be 0 (keep) or more days", d.key)
		}
	}
}
