package syncd

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// RecordErase is the kind of an outbox operation that erases a person in
// the CRM (syncd erase -crm). Its Key is the contact's CRM id and its
// Properties list the CRM ids of the deals to delete with it, the lead ids
// of the person's deals the CRM may hold without syncd knowing their ids,
// and the person's emails and phones sealed (EraseOps): no value in clear.
const RecordErase RecordKind = "erase"

// eraseDeals is the property of an erase operation listing deal ids.
const eraseDeals = "deal_ids"

// eraseDealKeys is the property of an erase operation listing, as a JSON
// array, the lead ids of deals with no CRM link (EraseOps).
const eraseDealKeys = "deal_keys"

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

// DealKeyEraser is an Eraser of a CRM that can find a deal by the lead id
// syncd writes on it (HubSpot's unique deal property): a deal operation
// whose write the CRM applied without syncd recording the deal's id (the
// daemon stopped before the call after it, or the answer was lost) has no
// CRM link, and only its lead id finds the deal.
type DealKeyEraser interface {
	// EraseDealKeys deletes the deal that holds each of keys (lead ids),
	// if any: one the CRM does not hold counts as erased.
	EraseDealKeys(ctx context.Context, keys []string) error
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
// name there and the deals of dealKeys (UnlinkedDeals): one per contact
// (two links to one record, its email's and its phone's, name it once:
// each erased it, the second a contact the first had deleted), the deals
// with the first (alone when no contact is known); none when
// links name nothing in target and dealKeys is empty. Each holds person
// sealed (PersonKeys.Seal), to tell at sending whether a contact holds
// someone else's data too. Their EventID is left for the caller to set.
func EraseOps(links []Link, target string, person PersonKeys, dealKeys []string) []Op {
	var contacts, deals []string
	for _, l := range links {
		switch {
		case l.Target != target:
		case l.Kind == RecordContact && !slices.Contains(contacts, l.CRMID):
			contacts = append(contacts, l.CRMID)
		case l.Kind == RecordDeal && !slices.Contains(deals, l.CRMID):
			deals = append(deals, l.CRMID)
		}
	}
	if len(contacts) == 0 && len(deals) == 0 && len(dealKeys) == 0 {
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
		if len(dealKeys) > 0 {
			b, _ := json.Marshal(dealKeys) // a lead id may hold a space: the sender's id
			ops[i].Properties[eraseDealKeys] = string(b)
		}
		deals, dealKeys = nil, nil
	}
	return ops
}

// UnlinkedDeals returns the keys (lead ids) of the deal operations of ops
// for target that are not done and whose deal has no link in links: the
// CRM may hold such a deal all the same (written, then the daemon stopped
// or the answer was lost before syncd recorded its id). Deals of the
// contacts others (another person's lead naming the person) are theirs
// and left out.
func UnlinkedDeals(ops []Op, links []Link, target string, others []string) []string {
	var keys []string
	for _, op := range ops {
		linked := slices.ContainsFunc(links, func(l Link) bool {
			return l.Target == target && l.Kind == RecordDeal && l.Key == op.Key
		})
		if op.Target == target && op.Kind == RecordDeal && op.State != OpDone && !linked &&
			!slices.Contains(others, op.ContactKey) && !slices.Contains(keys, op.Key) {
			keys = append(keys, op.Key)
		}
	}
	return keys
}

// EraseTargets returns what an erase operation erases: the contact's CRM id
// and the deals' CRM ids.
func (op Op) EraseTargets() (contactID string, dealIDs []string) {
	return op.Key, strings.Fields(op.Properties[eraseDeals])
}

// EraseDealKeys returns the lead ids of the deals an erase operation looks
// up by key (EraseOps); none for one queued before syncd kept them.
func (op Op) EraseDealKeys() []string {
	var keys []string
	if v := op.Properties[eraseDealKeys]; v != "" {
		_ = json.Unmarshal([]byte(v), &keys) // written by EraseOps alone
	}
	return keys
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
// contact alone because it is a merge of several contacts, or holds
// several emails (HubSpot): its GDPR delete would delete the other people
// merged into it, or whose address it holds, too. The
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
