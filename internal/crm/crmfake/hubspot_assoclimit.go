package crmfake

import "fmt"

// hsAssocRefused is HubSpot's refusal of associating deal did with contact
// cid when the contact already holds Options.DealsPerContact deals: an
// association limit an admin set on the account (docs/crm-contracts.md).
// Its category is VALIDATION_ERROR, as the contract takes it to be
// (unconfirmed). It is nil within the limit, for a pair already associated,
// and with no limit set. s.mu held.
func (s *Server) hsAssocRefused(did, cid int64) map[string]any {
	limit := s.opts.DealsPerContact
	if limit <= 0 || s.st.assoc[[2]int64{did, cid}] {
		return nil
	}
	n := 0
	for pair := range s.st.assoc {
		if pair[1] == cid {
			n++
		}
	}
	if n < limit {
		return nil
	}
	return hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Contact %d already has %d deals associated, the association limit set for this account", cid, n))
}
