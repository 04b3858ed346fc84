package dryrun

import (
	"context"

	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Eraser = (*Adapter)(nil)

// Erase records that the contact and deals would be erased.
func (a *Adapter) Erase(_ context.Context, contactID string, dealIDs []string, _ syncd.PersonCheck) error {
	a.log.Debug().Str("crm", Name).Str("contact_id", contactID).Strs("deal_ids", dealIDs).Msg("dry run: would erase")
	a.record(Sent{Kind: syncd.RecordErase, Key: contactID, ID: contactID})
	return nil
}
