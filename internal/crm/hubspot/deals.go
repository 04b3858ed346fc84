package hubspot

import (
	"context"
	"maps"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertDeals writes deals by batch upsert on the lead-id property, then
// associates each with its contact (idempotent too). A deal whose contact
// id is unknown is still written, and answered ErrWait until the contact
// is known, so its association is not lost. A deal syncd wrote before and a
// person deleted in HubSpot since is left so (see readFirst).
func (a *Adapter) UpsertDeals(ctx context.Context, deals []syncd.Deal) []syncd.Result {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return crm.Refused(len(deals), err)
	}
	a.loadZone(ctx)
	if err := a.loadProps(ctx); err != nil {
		return crm.Refused(len(deals), err)
	}
	results := make([]syncd.Result, len(deals))
	byLead := map[string][]int{}
	var inputs []input
	for i, d := range deals {
		if d.LeadID == "" {
			results[i] = syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "deal has no lead id"}}
			continue
		}
		if _, ok := byLead[d.LeadID]; !ok {
			inputs = append(inputs, input{ID: d.LeadID, IDProperty: a.opts.DealKeyProperty})
		}
		byLead[d.LeadID] = append(byLead[d.LeadID], i)
	}
	contactOf := map[string]contactRef{}
	known := a.contactIDs(ctx, deals)
	for j := range inputs {
		idx := byLead[inputs[j].ID]
		d := deals[idx[len(idx)-1]]
		p := maps.Clone(d.Properties)
		if p == nil {
			p = map[string]string{}
		}
		p[a.opts.DealKeyProperty] = d.LeadID // echoed in the answer: results are matched on it
		inputs[j].Properties = a.fit("deals", p, d.LeadID)
		id := d.ContactID
		if id == "" {
			id = known[d.ContactKey]
		}
		contactOf[d.LeadID] = contactRef{key: d.ContactKey, id: id}
	}
	left := map[string]bool{} // deleted in HubSpot: neither written nor associated
	got := a.upsertKeeping(ctx, "deals", syncd.RecordDeal, inputs, left)
	a.associate(ctx, got, contactOf, left)
	fill(results, byLead, got)
	a.sayConfig(syncd.RecordDeal, results)
	return results
}

// contactIDs are the ids linked to the contacts of the deals the syncer
// gave no contact id (it gives one to every deal it sends), by contact
// key, read in one query; none when the store cannot say.
func (a *Adapter) contactIDs(ctx context.Context, deals []syncd.Deal) map[string]string {
	var keys []string
	for _, d := range deals {
		if d.ContactID == "" && d.ContactKey != "" {
			keys = append(keys, d.ContactKey)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	links, err := crm.LinksOf(ctx, a.opts.Links, Name, syncd.RecordContact, keys)
	if err != nil {
		return nil
	}
	return links
}
