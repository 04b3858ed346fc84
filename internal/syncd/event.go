package syncd

import "time"

// Incoming is one authenticated delivery as the receiver hands it to the
// store: already parsed, with its idempotency key computed.
type Incoming struct {
	Source     string      // configured source name
	Kind       Kind        // sender kind of the source
	Type       string      // event_type / eaf_type; "" when absent
	Key        string      // idempotency key, e.g. "eaf:<eaf_id>" or "sha256:<hex>"
	Body       []byte      // raw bytes as received
	Payload    []byte      // standard JSON; nil when Body itself is strict JSON
	Parse      ParseStatus // how Body was parsed; ignored when Quarantine is set
	Quarantine bool        // Body did not parse: keep it in the quarantine
	Reason     string      // why it was quarantined
	// Unrecognised, when set, says why the body (which parsed) does not
	// have its source's shape: it is stored as an event that needs
	// attention (MapUnrecognised) instead of being mapped.
	Unrecognised string
	RemoteAddr   string // client address (after trusted proxies)
	ReceivedAt   time.Time
}

// Document is the delivery's standard JSON: Payload, or Body when it
// parsed strictly.
func (in Incoming) Document() []byte {
	if in.Payload != nil {
		return in.Payload
	}
	return in.Body
}

// Outcome says what the store did with a delivery.
type Outcome string

// Outcomes of storing a delivery; each is also the "status" the sender sees.
const (
	Accepted    Outcome = "accepted"
	Duplicate   Outcome = "duplicate"
	Quarantined Outcome = "quarantined"
)

// Receipt is the store's answer for one delivery, given only once the
// transaction holding it is durable.
type Receipt struct {
	Outcome Outcome
	ID      int64 // event id (the first one, for a duplicate), or quarantine id
	// Changed is set on a duplicate whose body means something else than
	// the stored event's: the sender gave its id (eaf_id) again with
	// another body. The first body is kept; compared in canonical form, so
	// a body only written another way is no change.
	Changed bool
	// Kept is, on a Changed duplicate stored by the intake, the
	// quarantined body that keeps the later delivery for a person to read
	// (the event keeps its first); 0 otherwise.
	Kept int64
	// Replaced is set on a Changed duplicate whose event had come to
	// nothing in the CRM (unmappable or ignored, no operations): the event took the
	// later body and waits to be mapped again; Kept is then its first body,
	// resolved as the event.
	Replaced bool
}

// Event is one stored, parsed delivery.
type Event struct {
	ID         int64
	Source     string
	Kind       Kind
	Type       string
	Key        string
	Body       []byte // raw bytes as received
	Payload    []byte // standard JSON: Body itself when Parse is ParseStrict
	Parse      ParseStatus
	ReceivedAt time.Time // on this host's clock
	// ReceivedAtKept is ReceivedAt as the store keeps it, the same
	// whichever host reads it, when the store keeps it on another clock
	// than this host's (PostgreSQL: the database server's); zero when
	// ReceivedAt is as kept (SQLite). See ReceivedAsKept.
	ReceivedAtKept time.Time
	LastDeliveryAt time.Time
	Deliveries     int
	RemoteAddr     string
	MapState       MapState
	MapError       string
	ErasedAt       time.Time // when syncd erase dropped the body and payload; zero while kept
	PurgedAt       time.Time // when the retention purge dropped them; zero while kept
	// DealtAt is when an operator recorded an unmappable lead as dealt
	// with (syncd events done: entered in the CRM by hand, or no lead);
	// zero while it waits, and for every other event.
	DealtAt time.Time
}

// ReceivedAsKept is when the event was received as the store keeps it:
// the same on every host, so what a mapping reads (syncd.received_at) and
// the operations it gives do not depend on the clock of the host mapping
// it. ReceivedAt is that time on this host's clock, for showing it and
// comparing it with this host's now.
func (e Event) ReceivedAsKept() time.Time {
	if !e.ReceivedAtKept.IsZero() {
		return e.ReceivedAtKept
	}
	return e.ReceivedAt
}

// Quarantine is a body that did not parse even leniently, kept as received.
type Quarantine struct {
	ID             int64
	Source         string
	Kind           Kind
	Body           []byte
	SHA256         string
	Reason         string
	ReceivedAt     time.Time
	LastDeliveryAt time.Time
	Deliveries     int
	RemoteAddr     string
	ResolvedEvent  int64     // event made from a repaired body; 0 while unresolved
	ErasedAt       time.Time // when syncd erase dropped the body; zero while kept
	PurgedAt       time.Time // when the retention purge dropped it; zero while kept
	// DismissedAt is when an operator dismissed the body as no lead
	// (syncd events dismiss: a port scanner's garbage, a test), dropping
	// it; zero otherwise. A repair after it makes it a repaired body.
	DismissedAt time.Time
	// ChangedOf is the event this body is a changed delivery of (a retry
	// under that event's delivery id with another body, kept for a
	// person, or the first body an event that came to nothing gave up for
	// it), recorded when it was quarantined; 0 when it is none (a body
	// that did not read); ChangedUnknown for a body kept by a syncd
	// before SQLite schema 14 / PostgreSQL schema 13 after the upgrade
	// (an older instance of a cluster), which recorded neither.
	ChangedOf int64
}

// ChangedUnknown is Quarantine.ChangedOf of a body whose syncd recorded
// no answer: whether it is a changed delivery is then judged by reading
// it, as before the answer was recorded.
const ChangedUnknown int64 = -1

// Waits says whether q waits for a person: neither repaired nor
// dismissed, and its body held (one erased or purged cannot be repaired).
func (q Quarantine) Waits() bool {
	return q.ResolvedEvent == 0 && q.DismissedAt.IsZero() && q.ErasedAt.IsZero() && q.PurgedAt.IsZero()
}
