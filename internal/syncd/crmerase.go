package syncd

import (
	"context"
	"strings"
)

// RecordErase is the kind of an outbox operation that erases a person in
// the CRM (syncd erase -crm). Its Key is the contact's CRM id and its
// Properties list the CRM ids of the deals to delete with it and the
// person's emails and phones sealed (EraseOps): no value in clear.
const RecordErase RecordKind = "erase"

// eraseDeals is the property of an erase operation listing deal ids.
const eraseDeals = "deal_ids"

// erasePerson is the property of an erase operation holding the person's
// emails and phones sealed (PersonKeys.Seal): no value in clear.
const erasePerson = "person_keys"

// Eraser is a CRM adapter that can erase a person.
type Eraser interface {
	// Erase deletes the contact with CRM id contactID, by the CRM's GDPR
	// delete where it has one (HubSpot), and the deals dealIDs and any
	// other deal of the contact where the CRM keeps deals apart from the
	// contact (Pipedrive). contactID may be "" when only deals are known. A
	// record already gone counts as erased. A CRM that keeps no trace of
	// merges (Pipedrive) leaves a contact holding an email or phone that
	// person does not know as the person's (nil: none is), deleting only
	// dealIDs (CodeSharedContact).
	Erase(ctx context.Context, contactID string, dealIDs []string, person PersonCheck) error
}

// HolderEraser is an Eraser that can also erase, at once, whoever holds a
// contact key in the CRM now: the contact syncd linked may have been
// deleted and the person's data recreated under another id, by hand or by
// a form. syncd erase -crm calls it with the person's keys it holds in
// memory, since the erase operations it queues keep no value in clear to
// search by.
type HolderEraser interface {
	// EraseHolders erases every contact that holds key (a lower-cased
	// email, or an E.164 phone) in the CRM at the time of the call, as
	// Erase would. ok is false when the CRM cannot look contacts up by
	// that kind of key (HubSpot by phone): nothing was done. A CRM that
	// keeps no trace of merges (Pipedrive) leaves a contact holding an
	// email or phone that person does not know as the person's
	// (CodeSharedContact).
	EraseHolders(ctx context.Context, key string, person PersonKeys) (ok bool, err error)
}

// SharedChecker is an Eraser of a CRM that keeps no trace of merges
// (Pipedrive): syncd erase -crm asks it at once whether each contact
// syncd linked to the person holds someone else's data too, which the
// queued erasure will leave (CodeSharedContact), so that erase says so
// even when the person's email no longer finds that contact.
type SharedChecker interface {
	// CheckShared returns the CodeSharedContact CRMError of contact
	// contactID when it holds an email or phone that is not one of
	// person's; nil when it holds the person's alone, or is gone.
	CheckShared(ctx context.Context, contactID string, person PersonCheck) error
}

// EraseOps returns the operations that erase, in target, the records links
// name there: one per contact, the deals with the first (alone when no
// contact is known); none when links name nothing in target. Each holds
// person sealed (PersonKeys.Seal), to tell at sending whether a contact
// holds someone else's data too. Their EventID is left for the caller to
// set.
func EraseOps(links []Link, target string, person PersonKeys) []Op {
	var contacts, deals []string
	for _, l := range links {
		switch {
		case l.Target != target:
		case l.Kind == RecordContact:
			contacts = append(contacts, l.CRMID)
		case l.Kind == RecordDeal:
			deals = append(deals, l.CRMID)
		}
	}
	if len(contacts) == 0 && len(deals) == 0 {
		return nil
	}
	if len(contacts) == 0 {
		contacts = []string{""}
	}
	ops := make([]Op, len(contacts))
	sealed := person.Seal()
	for i, c := range contacts {
		ops[i] = Op{Target: target, Kind: RecordErase, Key: c,
			Properties: map[string]string{eraseDeals: strings.Join(deals, " ")}}
		if sealed != "" {
			ops[i].Properties[erasePerson] = sealed
		}
		deals = nil
	}
	return ops
}

// EraseTargets returns what an erase operation erases: the contact's CRM id
// and the deals' CRM ids.
func (op Op) EraseTargets() (contactID string, dealIDs []string) {
	return op.Key, strings.Fields(op.Properties[eraseDeals])
}

// ErasePerson returns what an erase operation knows of the person's emails
// and phones (EraseOps), or nil when it holds none (queued before syncd
// kept them, or with none known).
func (op Op) ErasePerson() PersonCheck {
	if k, ok := UnsealKeys(op.Properties[erasePerson]); ok {
		return k
	}
	return nil
}

// ErrOtherAccountErasure is the EInvalid error of a retry of operation id,
// a CRM erasure of an earlier account (DeadCause.OtherAccount): sent, it
// would erase other records in the account the token belongs to now.
func ErrOtherAccountErasure(id int64) error {
	return Errorf(EInvalid, "outbox op %d erases the CRM ids of the account syncd wrote to before syncd crm forget-links: "+
		"never sent again", id)
}

// CodeMergedContact is the code of the CRMError of an erasure that left a
// contact alone because it is a merge of several contacts (HubSpot): its
// GDPR delete would delete the other people merged into it too. The
// person's data is to be removed from it by hand; the error's message says
// so, naming the record by its id.
const CodeMergedContact = "MERGED_CONTACT"

// CodeSharedContact is the code of the CRMError of an erasure that left a
// contact alone because it holds an email or phone that is not the
// person's as far as syncd knows (PersonKeys), in a CRM that keeps no trace
// of merges (Pipedrive): a salesperson may have merged the person with
// someone else, and deleting the record would delete that other person's
// data too. The message names the record by its id and says what to do by
// hand.
const CodeSharedContact = "SHARED_CONTACT"
