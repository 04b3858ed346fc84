package hubspot

import "github.com/syncd-dev/syncd/internal/syncd"

var _ syncd.Wording = (*Adapter)(nil)

// Label is the CRM's name as its users write it.
func (a *Adapter) Label() string { return "HubSpot" }

// Noun is HubSpot's word for a record of kind k: its object in the
// singular.
func (a *Adapter) Noun(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "deal"
	}
	return "contact"
}

// SettleSetting is "": syncd upserts by a unique property, and the wait
// for HubSpot's search (Options.SearchLag) has no setting of its own.
func (a *Adapter) SettleSetting() string { return "" }
