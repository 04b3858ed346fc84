package syncd

import (
	"context"
	"strings"
)

// RecordErase is the kind of an outbox operation that erases a person in
// the CRM (syncd erase -crm). Its Key is the contact's CRM id and its
// Properties list the CRM ids of the deals to delete with it (EraseOp): no
// personal data, only ids.
const RecordErase RecordKind = "erase"

// eraseDeals is the property of an erase operation listing deal ids.
const eraseDeals = "deal_ids"

// Eraser is a CRM adapter that can erase a person.
type Eraser interface {
	// Erase deletes the contact with CRM id contactID, by the CRM's GDPR
	// delete where it has one (HubSpot), and the deals dealIDs and any
	// other deal of the contact where the CRM keeps deals apart from the
	// contact (Pipedrive). contactID may be "" when only deals are known. A
	// record already gone counts as erased.
	Erase(ctx context.Context, contactID string, dealIDs []string) error
}

// EraseOp returns the outbox operation that erases, in target, the contact
// contactID and the deals dealIDs.
func EraseOp(eventID int64, target, contactID string, dealIDs []string) Op {
	return Op{EventID: eventID, Target: target, Kind: RecordErase, Key: contactID,
		Properties: map[string]string{eraseDeals: strings.Join(dealIDs, " ")}}
}

// EraseTargets returns what an erase operation erases: the contact's CRM id
// and the deals' CRM ids.
func (op Op) EraseTargets() (contactID string, dealIDs []string) {
	return op.Key, strings.Fields(op.Properties[eraseDeals])
}
