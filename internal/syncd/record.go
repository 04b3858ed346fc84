package syncd

import "time"

// RecordKind is the kind of CRM record an operation writes.
type RecordKind string

// CRM record kinds.
const (
	RecordContact RecordKind = "contact"
	RecordDeal    RecordKind = "deal"
)

// OpState is where an outbox operation stands.
type OpState string

// Outbox states. A claimed operation stays pending with a lease: if the
// process dies mid-call the lease runs out and it is claimable again.
const (
	OpPending OpState = "pending"
	OpDone    OpState = "done"
	OpDead    OpState = "dead"
)

// KeyKind says what a contact's Key is.
type KeyKind string

// Kinds of contact keys.
const (
	KeyEmail KeyKind = "email" // the lower-cased, trimmed email
	KeyPhone KeyKind = "phone" // the E.164 phone
)

// DeadCause says why an operation was dead-lettered when syncd itself, not
// the CRM, decided it.
type DeadCause string

// Dead causes.
const (
	// DeadNoContact: a deal whose contact has no CRM id because the
	// contact's operation is dead; retrying the contact revives it.
	DeadNoContact DeadCause = "no_contact"
	// DeadGivenUp: given up by hand (`syncd outbox give-up`), with the
	// deals of a contact so given up that wait for it: the operator chose
	// it, so it is no alarm; retrying the contact revives its deals.
	DeadGivenUp DeadCause = "given_up"
	// DeadOtherAccount: a CRM erasure made dead by `syncd crm
	// forget-links`: the CRM ids it erases are those of the account syncd
	// wrote to before, and would name other records (someone else) in the
	// one the token belongs to now. No retry sends it; the person is
	// erased by hand, after which `syncd outbox give-up` makes it
	// DeadOtherAccountGivenUp.
	DeadOtherAccount DeadCause = "other_account"
	// DeadOtherAccountGivenUp: a DeadOtherAccount erasure the operator
	// has done by hand (`syncd outbox give-up`): given up, no alarm, as
	// DeadGivenUp, and still never sent again.
	DeadOtherAccountGivenUp DeadCause = "other_account_given_up"
	// DoneDeletedInCRM is the cause of an operation done (State done,
	// not dead) whose record a person deleted in the CRM since syncd
	// wrote it (Result.Gone): syncd left it so, and its CRM id is the one
	// the record had. The report says so rather than that the CRM has it.
	DoneDeletedInCRM DeadCause = "deleted_in_crm"
)

// GivenUp reports whether c is a cause of operations given up by hand:
// they need no attention.
func (c DeadCause) GivenUp() bool { return c == DeadGivenUp || c == DeadOtherAccountGivenUp }

// OtherAccount reports whether c is the cause of a CRM erasure of an
// earlier account (syncd crm forget-links), which no retry may send.
func (c DeadCause) OtherAccount() bool { return c == DeadOtherAccount || c == DeadOtherAccountGivenUp }

// Op is one CRM write in the outbox: upsert a contact or a deal.
//
// Key is the record's identity in the CRM: for a contact the lower-cased,
// trimmed email, or the E.164 phone when there is no email; for a deal the
// stable lead id derived from the event. ContactKey, on a deal, is the Key of
// the contact the deal is associated with.
type Op struct {
	ID            int64
	EventID       int64
	Target        string // CRM adapter name: "hubspot", "pipedrive", "dryrun"
	Kind          RecordKind
	Key           string
	KeyKind       KeyKind // contacts: what Key is
	ContactKey    string
	Properties    map[string]string // CRM property names to values
	MappingFile   string
	MappingHash   string // SHA-256 of the mapping file's content
	State         OpState
	Attempts      int
	NextAttemptAt time.Time
	LeaseUntil    time.Time
	LastError     string
	DeadCause     DeadCause // set with State dead when syncd decided it; DoneDeletedInCRM with State done; "" otherwise
	CRMID         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Contact is a person to create or update in the CRM.
type Contact struct {
	Key        string            // identity (see Op)
	Email      string            // lower-cased; "" when only a phone is known
	Phone      string            // E.164; may be ""
	Properties map[string]string // CRM property names to values
	// EarlierEmails and EarlierPhones are the emails and phones of the
	// record's earlier updates merged into this one (MergeContacts),
	// oldest first: a list the CRM adds each value to (a Pipedrive
	// person's, written with add) gets them before Email and Phone, as
	// sending the updates one after another would.
	EarlierEmails, EarlierPhones []string
}

// Deal is a lead to create or update in the CRM, associated with a contact.
type Deal struct {
	LeadID     string            // stable id derived from the event
	ContactKey string            // Key of the associated contact
	ContactID  string            // CRM id of that contact, filled in by the syncer
	Properties map[string]string // CRM property names to values
}

// Result is the outcome of one record in a CRM call: its CRM id, or an error
// (a *CRMError when the CRM answered).
type Result struct {
	ID  string
	Err error
	// Gone says that the CRM no longer has the record: a person deleted
	// it there since syncd wrote it, and the adapter left it so (nothing
	// written); ID is the id it had.
	Gone bool
}
