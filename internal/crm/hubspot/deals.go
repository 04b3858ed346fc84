package hubspot

import (
	"context"
	"fmt"
	"maps"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertDeals writes deals by batch upsert on the lead-id property, then
// associates each with its contact (idempotent too). A deal whose contact
// id is unknown is still written, and answered ErrRetry until the contact
// is known, so its association is not lost.
func (a *Adapter) UpsertDeals(ctx context.Context, deals []syncd.Deal) []syncd.Result {
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
	contactOf := map[string]string{}
	for j := range inputs {
		idx := byLead[inputs[j].ID]
		d := deals[idx[len(idx)-1]]
		p := maps.Clone(d.Properties)
		if p == nil {
			p = map[string]string{}
		}
		p[a.opts.DealKeyProperty] = d.LeadID // echoed in the answer: results are matched on it
		inputs[j].Properties = p
		contactOf[d.LeadID] = a.contactID(ctx, d)
	}
	got := a.upsertKeeping(ctx, "deals", syncd.RecordDeal, inputs)
	a.associate(ctx, got, contactOf)
	fill(results, byLead, got)
	return results
}

// contactID is the deal's contact id: given by the syncer, else from Links.
func (a *Adapter) contactID(ctx context.Context, d syncd.Deal) string {
	if d.ContactID != "" || d.ContactKey == "" {
		return d.ContactID
	}
	id, _ := a.opts.Links.Link(ctx, Name, syncd.RecordContact, d.ContactKey)
	return id
}

type assocInput struct {
	From struct {
		ID string `json:"id"`
	} `json:"from"`
	To struct {
		ID string `json:"id"`
	} `json:"to"`
}

// associate links each written deal to its contact, updating got in place:
// a failed association turns the deal's Result into that error (resending
// the whole deal is harmless).
func (a *Adapter) associate(ctx context.Context, got map[string]syncd.Result, contactOf map[string]string) {
	var leads []string
	var inputs []assocInput
	for lead, r := range got {
		if r.Err != nil {
			continue
		}
		cid := contactOf[lead]
		if cid == "" {
			got[lead] = syncd.Result{ID: r.ID, Err: &syncd.CRMError{Class: syncd.ErrRetry, Code: "CONTACT_UNKNOWN",
				Message: "deal written; its contact has no CRM id yet"}}
			continue
		}
		var in assocInput
		in.From.ID, in.To.ID = r.ID, cid
		leads, inputs = append(leads, lead), append(inputs, in)
	}
	for len(inputs) > 0 {
		n := min(len(inputs), a.opts.BatchSize)
		a.associateBatch(ctx, got, leads[:n], inputs[:n])
		leads, inputs = leads[n:], inputs[n:]
	}
}

func (a *Adapter) associateBatch(ctx context.Context, got map[string]syncd.Result, leads []string, inputs []assocInput) {
	call := crm.Call{Op: "deals_associate", Method: http.MethodPut, Header: a.header(),
		URL: fmt.Sprintf("%s/crm/v4/objects/deal/%s/associations/default/contact/%s", a.opts.BaseURL, inputs[0].From.ID, inputs[0].To.ID)}
	if len(inputs) > 1 {
		call = crm.Call{Op: "deals_associate_batch", Method: http.MethodPost, Safe: true, Header: a.header(),
			URL:  a.opts.BaseURL + "/crm/v4/associations/deals/contacts/batch/associate/default",
			Body: map[string]any{"inputs": inputs}}
	}
	resp, err := a.http.Do(ctx, call)
	if err == nil && resp.Status != http.StatusOK && resp.Status != http.StatusCreated {
		err = a.classify(resp)
		if resp.Status == http.StatusNotFound || resp.Status == http.StatusMultiStatus {
			err = a.classifyRetry(resp) // a contact may have been merged or deleted: try again later
		}
	}
	if err == nil {
		return
	}
	for i, lead := range leads {
		got[lead] = syncd.Result{ID: inputs[i].From.ID, Err: err}
	}
}
