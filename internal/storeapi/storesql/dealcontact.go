package storesql

import "github.com/syncd-dev/syncd/internal/syncd"

// DealContact is the contact key a finished operation's CRM link records
// (crm_links.contact_key): of a deal, the key of the contact it was made
// for, by which erase finds the person's deals once the retention has
// deleted their operations; "" for any other record.
func DealContact(op syncd.Op) string {
	if op.Kind != syncd.RecordDeal {
		return ""
	}
	return op.ContactKey
}
