package syncd

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// CRM delivers records to one CRM. Implementations must make a repeated call
// with the same records harmless: whatever the network did to an earlier
// call, a retry never makes a second contact or deal. Results are returned in
// the order of the input.
type CRM interface {
	Name() string
	UpsertContacts(ctx context.Context, contacts []Contact) []Result
	UpsertDeals(ctx context.Context, deals []Deal) []Result
}

// Links remembers CRM ids as soon as they are known, so that an adapter
// whose CRM has no uniqueness (Pipedrive) can make a lost response harmless.
type Links interface {
	// Link returns the CRM id recorded for (target, kind, key), or "" if none.
	Link(ctx context.Context, target string, kind RecordKind, key string) (string, error)
	// SetLink records the CRM id for (target, kind, key).
	SetLink(ctx context.Context, target string, kind RecordKind, key, id string) error
}

// BatchLinks is a Links that reads the CRM ids of many keys at once: the
// stores do, in one query. An adapter that looks up the links of a whole
// batch asks it when its Links has it, and Link for each key otherwise.
type BatchLinks interface {
	Links
	// LinksFor returns the CRM ids recorded for keys of one target and
	// kind, by key; keys without a link are absent from the map, and a key
	// given twice is read once.
	LinksFor(ctx context.Context, target string, kind RecordKind, keys []string) (map[string]string, error)
}

// ErrClass says what the syncer should do about a failed CRM call.
type ErrClass int

// Classes of CRM errors.
const (
	ErrRetry      ErrClass = iota // transient: try again later with back-off
	ErrPermanent                  // this record is invalid: dead-letter it with the CRM's message
	ErrAuth                       // 401/403: pause the whole adapter and raise an alarm
	ErrDailyLimit                 // daily quota spent: pause the adapter until RetryAfter
	// ErrWait: this record must wait (its create is unconfirmed, its
	// contact has no CRM id yet); retry it later with back-off. Unlike
	// ErrRetry it says nothing about the CRM's health, so it never counts
	// toward an outage.
	ErrWait
	// ErrContactGone: the deal's contact no longer exists in the CRM
	// (deleted there). Its stored id is stale: write the contact again,
	// then retry the deal.
	ErrContactGone
	// ErrConfig: the CRM account is set up wrong for the mappings (a
	// property missing or not unique, an invalid option). Pause the adapter
	// with an alarm naming CRMError.Property until a check passes.
	ErrConfig
)

// String names the class for logs and metrics.
func (c ErrClass) String() string {
	switch c {
	case ErrPermanent:
		return "permanent"
	case ErrAuth:
		return "auth"
	case ErrDailyLimit:
		return "daily_limit"
	case ErrWait:
		return "wait"
	case ErrContactGone:
		return "contact_gone"
	case ErrConfig:
		return "config"
	default:
		return "retry"
	}
}

// CodeOptionNotWritten is the CRMError.Code (class ErrConfig) of a
// pipeline, stage or owner the CRM refused (HubSpot) or does not hold
// (Pipedrive) that the mappings as loaded no longer write (they write
// others, constants alone): the operation was mapped before they changed,
// and sent again it would be refused again. The syncer dead-letters it at
// once, its fix saying to replay the lead; before, it paused the adapter,
// and once the check passed it was dead-lettered as the lead's own value.
const CodeOptionNotWritten = "OPTION_NOT_WRITTEN"

// CodeWrongAccount is the CRMError.Code (class ErrAuth) of a write
// refused because the token belongs to another CRM account than the
// pinned one.
const CodeWrongAccount = "WRONG_ACCOUNT"

// CodeNotTheAPI is the CRMError.Code (class ErrAuth) of a write refused
// because the CRM's address answered 404 Not Found to the read of the
// token's account, which every account has: the configured base_url is
// not, or no longer, the CRM's API address (a Pipedrive company domain
// changed, say).
const CodeNotTheAPI = "NOT_THE_API"

// CodeNetwork is the CRMError.Code (class ErrRetry) of a call that got no
// complete answer: the connection refused or dropped, a name not resolved,
// a TLS failure, a timeout.
const CodeNetwork = "NETWORK"

// CodeEdgeBlocked is the code of a CRM's edge refusing a client that kept
// calling after 429s (Pipedrive's 403 HTML page): its rate limit, not an
// outage or a missing permission.
const CodeEdgeBlocked = "EDGE_BLOCKED"

// CodeDailyBudget is the code (class ErrDailyLimit) of Pipedrive's daily
// budget spent: it resets at a midnight Pipedrive does not name, so the
// adapter pauses to the next full hour and tries again, hour by hour.
const CodeDailyBudget = "DAILY_BUDGET"

// CRMError is a CRM's answer that was not a success.
type CRMError struct {
	Status     int           // HTTP status; 0 when no answer arrived
	Code       string        // CRM category or error code, e.g. "VALIDATION_ERROR"
	Message    string        // the CRM's message (never contains the token)
	Class      ErrClass      // what to do about it
	RetryAfter time.Duration // when the CRM said when to come back; 0 otherwise
	Property   string        // ErrConfig: the property or field at fault; ErrPermanent: the one whose value the CRM refused; when known
	// Plain says that Message is the adapter's own words, naming Property
	// and what to do, not the CRM's: the syncer's pause says it as it is.
	Plain bool
	// Unreached (CodeNetwork) says that no request of the call reached
	// the CRM: the connection was refused, a name not resolved, TLS
	// failed. Its records cannot have caused that.
	Unreached bool
}

// Error is "crm STATUS CODE: message", without the status when no answer
// came (Status 0: a network failure, or a refusal of syncd's own).
func (e *CRMError) Error() string {
	head := "crm"
	if e.Status != 0 {
		head += " " + strconv.Itoa(e.Status)
	}
	if e.Code != "" {
		head += " " + e.Code
	}
	return head + ": " + e.Message
}

// ForgottenLinks is what forgetting one target's CRM ids did, when the
// agency moved to another account of the same CRM: the ids and create
// intents recorded belong to the old account.
type ForgottenLinks struct {
	Links   int // CRM ids forgotten
	Intents int // create intents forgotten
	// Requeued counts the contacts' operations pending again (every
	// delivered one of each contact), RequeuedDeals the deals' (the newest
	// delivered one of each deal).
	Requeued      int
	RequeuedDeals int
	// Erasures counts the CRM erasures that were pending, made dead: their
	// CRM ids are the earlier account's, and name other records (or none)
	// in the one the token belongs to now.
	Erasures int
}

// DroppedOps is what dropping the operations left for a CRM no longer
// configured did (syncd outbox drop): they would never be sent, and their
// events' bodies would be kept past the retention while they wait.
type DroppedOps struct {
	Pending  int // pending contact and deal operations dropped
	Dead     int // dead contact and deal operations dropped
	GivenUp  int // how many of Dead were given up by hand (DeadCause.GivenUp)
	Erasures int // erase operations dropped (only when asked for)
	// Held are pending operations a syncer holds (leased) now, left: an
	// instance still sends to that CRM.
	Held int
	// ErasuresLeft are erase operations left (not asked to drop them): a
	// person's erasure in that CRM that syncd has not done.
	ErasuresLeft int
	// Events are the ids of the events whose operations were dropped, in
	// ascending order.
	Events []int64
}

// OnlyFor is what a store finds of the leads that reached one CRM (an
// operation of theirs done there) and have no operation for another, the
// erased left out: the dry run's leads that no replay mapped for the CRM
// configured since.
type OnlyFor struct {
	// Held counts those whose bodies are held, which a replay maps;
	// First is the first one's event id (0 when none).
	Held  int
	First int64
	// Purged counts those whose bodies the retention purged, which no
	// replay can map; LastPurged is the last one's event id (0 when none).
	Purged     int
	LastPurged int64
}

// Drop counts one operation dropped, of event, with its kind and state as
// the store held them. An erase operation's event is no lead (an erasure
// has a row of its own, erased): it is not among Events.
func (d *DroppedOps) Drop(event int64, kind RecordKind, state OpState, cause DeadCause) {
	switch {
	case kind == RecordErase:
		d.Erasures++
		return
	case state == OpDead:
		d.Dead++
		if cause.GivenUp() {
			d.GivenUp++
		}
	default:
		d.Pending++
	}
	d.Events = append(d.Events, event)
}

// SortEvents puts Events in ascending order, each once, once every
// operation is counted (Drop).
func (d *DroppedOps) SortEvents() {
	slices.Sort(d.Events)
	d.Events = slices.Compact(d.Events)
}
