// Package dryrun is a syncd.CRM that sends nothing: it records what would
// be sent, in memory and in a debug log, and answers deterministic fake ids
// (the same record always gets the same id), so the example configuration
// runs end to end with nothing external.
package dryrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"sync"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Name is the adapter's name: the outbox target.
const Name = "dryrun"

// Sent is one record the dry run would have sent.
type Sent struct {
	Kind       syncd.RecordKind
	Key        string // contact key or lead id
	ID         string // the fake id answered
	ContactID  string // deals: the contact id given
	Properties map[string]string
}

// Adapter is the dry-run syncd.CRM. It is safe for concurrent use.
type Adapter struct {
	log zerolog.Logger
	max int

	mu   sync.Mutex
	sent []Sent
}

var _ syncd.CRM = (*Adapter)(nil)

// New returns a dry-run adapter that logs at debug level to log and keeps
// the last keep records in memory (0 for 10000).
func New(log zerolog.Logger, keep int) *Adapter {
	if keep <= 0 {
		keep = 10000
	}
	return &Adapter{log: log, max: keep}
}

// Name returns "dryrun".
func (a *Adapter) Name() string { return Name }

// FakeID is the id the dry run answers for a record: "dry-" and 16 hex
// digits of the SHA-256 of kind and key.
func FakeID(kind syncd.RecordKind, key string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + key))
	return "dry-" + hex.EncodeToString(sum[:8])
}

// UpsertContacts records the contacts and answers their fake ids.
func (a *Adapter) UpsertContacts(_ context.Context, contacts []syncd.Contact) []syncd.Result {
	out := make([]syncd.Result, len(contacts))
	for i, c := range contacts {
		if c.Key == "" {
			out[i] = syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "contact has no key"}}
			continue
		}
		id := FakeID(syncd.RecordContact, c.Key)
		a.record(Sent{Kind: syncd.RecordContact, Key: c.Key, ID: id, Properties: maps.Clone(c.Properties)})
		out[i] = syncd.Result{ID: id}
	}
	return out
}

// UpsertDeals records the deals and answers their fake ids.
func (a *Adapter) UpsertDeals(_ context.Context, deals []syncd.Deal) []syncd.Result {
	out := make([]syncd.Result, len(deals))
	for i, d := range deals {
		if d.LeadID == "" {
			out[i] = syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "deal has no lead id"}}
			continue
		}
		id := FakeID(syncd.RecordDeal, d.LeadID)
		a.record(Sent{Kind: syncd.RecordDeal, Key: d.LeadID, ID: id, ContactID: d.ContactID, Properties: maps.Clone(d.Properties)})
		out[i] = syncd.Result{ID: id}
	}
	return out
}

func (a *Adapter) record(s Sent) {
	// Properties hold personal data: debug level only.
	a.log.Debug().Str("crm", Name).Str("kind", string(s.Kind)).Str("id", s.ID).
		Str("contact_id", s.ContactID).Interface("properties", s.Properties).Msg("dry run: would upsert")
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.sent) >= a.max {
		a.sent = append(a.sent[:0], a.sent[len(a.sent)-a.max/2:]...)
	}
	a.sent = append(a.sent, s)
}

// Sent returns a copy of what was recorded, oldest first.
func (a *Adapter) Sent() []Sent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Sent(nil), a.sent...)
}
