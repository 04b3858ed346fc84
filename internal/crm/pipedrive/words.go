package pipedrive

import "github.com/syncd-dev/syncd/internal/syncd"

var _ syncd.Wording = (*Adapter)(nil)

// Label is the CRM's name as its users write it.
func (a *Adapter) Label() string { return "Pipedrive" }

// Noun is Pipedrive's word for a record of kind k: a contact is a person.
func (a *Adapter) Noun(k syncd.RecordKind) string { return noun(k) }

// SettleSetting names the setting of how long a new record may be missing
// from Pipedrive's search and lists (Options.Settle).
func (a *Adapter) SettleSetting() string { return "crm.pipedrive.settle_time" }
