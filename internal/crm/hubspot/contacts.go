package hubspot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertContacts writes contacts: those with an email in batch upserts on
// email (each email once per batch, its repeats, a person's pending
// updates sent together, merged as syncd.MergeContacts says; they share
// one Result), but for the person syncd made a contact for by phone alone
// (phoneFirst), phone-only ones by the contact key property or by the
// guarded search-then-create (each phone once too).
func (a *Adapter) UpsertContacts(ctx context.Context, contacts []syncd.Contact) []syncd.Result {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return crm.Refused(len(contacts), err)
	}
	a.loadZone(ctx)
	if err := a.loadProps(ctx); err != nil {
		return crm.Refused(len(contacts), err)
	}
	results := make([]syncd.Result, len(contacts))
	byEmail, byKey := map[string][]int{}, map[string][]int{}
	var emails, keys []input
	var phoneOnly []string
	byPhone := map[string][]int{}
	for i, c := range contacts {
		email := normID("email", c.Email)
		switch {
		case email != "":
			if _, ok := byEmail[email]; !ok {
				emails = append(emails, input{ID: email, IDProperty: "email"})
			}
			byEmail[email] = append(byEmail[email], i)
		case c.Phone != "" && a.opts.ContactKeyProperty != "":
			if _, ok := byKey[c.Key]; !ok {
				keys = append(keys, input{ID: c.Key, IDProperty: a.opts.ContactKeyProperty})
			}
			byKey[c.Key] = append(byKey[c.Key], i)
		case c.Phone != "":
			if _, ok := byPhone[c.Key]; !ok {
				phoneOnly = append(phoneOnly, c.Key)
			}
			byPhone[c.Key] = append(byPhone[c.Key], i)
		default:
			results[i] = syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "contact has neither email nor phone"}}
		}
	}
	// An id's contacts merge in order: later events carry newer data.
	for _, list := range [][]input{emails, keys} {
		for j := range list {
			idx := byEmail[list[j].ID]
			if list[j].IDProperty != "email" {
				idx = byKey[list[j].ID]
			}
			list[j].Properties = a.fit("contacts", contactProps(a.merged(contacts, idx), list[j].IDProperty, list[j].ID), "")
		}
	}
	emails, onto := a.phoneFirst(ctx, contacts, emails, byEmail)
	got := a.upsertKeeping(ctx, "contacts", syncd.RecordContact, emails, nil)
	maps.Copy(got, onto)
	fill(results, byEmail, got)
	fill(results, byKey, a.upsertKeeping(ctx, "contacts", syncd.RecordContact, keys, nil))
	a.noteWritten(contacts, results)
	for _, key := range phoneOnly {
		r := a.upsertByPhone(ctx, a.merged(contacts, byPhone[key]))
		for _, i := range byPhone[key] {
			results[i] = r
		}
	}
	a.sayConfig(syncd.RecordContact, results)
	return results
}

// merged is contacts idx, one record's in order, as one
// (syncd.MergeContacts).
func (a *Adapter) merged(contacts []syncd.Contact, idx []int) syncd.Contact {
	if len(idx) == 1 {
		return contacts[idx[0]]
	}
	cs := make([]syncd.Contact, len(idx))
	for n, i := range idx {
		cs[n] = contacts[i]
	}
	return syncd.MergeContacts(cs, a.writeModes())
}

// noteWritten remembers the phone of each contact written by email in this
// call, for the phone-only leads that search cannot find it for yet.
func (a *Adapter) noteWritten(contacts []syncd.Contact, results []syncd.Result) {
	now := a.opts.Now()
	for i, c := range contacts {
		if normID("email", c.Email) != "" && results[i].Err == nil {
			a.written.note(c.Phone, results[i].ID, now, a.opts.SearchLag)
		}
	}
}

// contactProps are the properties sent for c. The id property is sent too,
// so that the answer echoes it and results can be matched to inputs
// (HubSpot does not promise their order).
func contactProps(c syncd.Contact, idProp, id string) map[string]string {
	p := maps.Clone(c.Properties)
	if p == nil {
		p = map[string]string{}
	}
	if idProp != "" {
		p[idProp] = id
	}
	if c.Phone != "" && p["phone"] == "" {
		p["phone"] = c.Phone
	}
	return p
}

func fill(results []syncd.Result, idx map[string][]int, got map[string]syncd.Result) {
	for id, is := range idx {
		for _, i := range is {
			results[i] = got[id]
		}
	}
}

// upsertByPhone writes a phone-only contact without a unique property:
// Links, then search, then the contact syncd wrote with that phone while
// search may still miss it (samephone.go), then a guarded create. A linked
// contact deleted in HubSpot since (its update answers 404) is looked for
// by search and made again in the same call, as a contact known by email
// is by its upsert: before, the 404 went back as a transient error, and a
// contact alone in its call was taken for a CRM outage.
func (a *Adapter) upsertByPhone(ctx context.Context, c syncd.Contact) syncd.Result {
	props := a.fit("contacts", contactProps(c, "", ""), "")
	upd := a.writeModes().OnUpdate(syncd.RecordContact, props)
	id, err := a.opts.Links.Link(ctx, Name, syncd.RecordContact, c.Key)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read link: %v", err))}
	}
	deleted := ""
	if id != "" {
		r, gone := a.patchContact(ctx, c.Key, id, upd)
		if !gone {
			return r
		}
		a.contactGone(id)
		deleted = id
	}
	if id, err = a.searchPhone(ctx, c.Phone, deleted); err != nil {
		return syncd.Result{Err: err}
	}
	if id != "" {
		r, _ := a.patchContact(ctx, c.Key, id, upd)
		return r
	}
	if id = a.written.find(c.Phone, a.opts.Now(), a.opts.SearchLag); id != "" && id != deleted {
		// A contact written with this phone that search does not show yet.
		r, gone := a.patchContact(ctx, c.Key, id, upd)
		if !gone {
			return r
		}
		a.written.forget(id)
	}
	sendCtx, err := a.guard.Begin(ctx, syncd.RecordContact, c.Key)
	if err != nil {
		return syncd.Result{Err: err}
	}
	resp, err := a.http.Do(sendCtx, crm.Call{Op: "contacts_create", Method: http.MethodPost, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts", Body: map[string]any{"properties": named(props, c.Phone)}})
	if err != nil {
		return syncd.Result{Err: a.unconfirmed(err)}
	}
	if resp.Status != http.StatusCreated && resp.Status != http.StatusOK {
		ce := a.classify(resp)
		if req := a.unwrittenRequired("contacts", resp, ce, props); ce.Class == syncd.ErrPermanent && req != nil {
			ce = req
		}
		if resp.Status >= 400 && resp.Status < 500 {
			a.guard.Abandon(ctx, syncd.RecordContact, c.Key)
		}
		return syncd.Result{Err: ce}
	}
	var o object
	if err := crm.DecodeJSON(resp, &o); err != nil {
		return syncd.Result{Err: a.unconfirmed(err)}
	}
	a.link(ctx, c.Key, o.ID, "hubspot: record contact link")
	return syncd.Result{ID: o.ID}
}

// named is the properties of a new contact: HubSpot creates one only with
// an email, a first or a last name, so a lead that left only its phone is
// named by it (as the Pipedrive adapter names such a person). An update
// does not need it, and does not write it over a name given since.
func named(props map[string]string, phone string) map[string]string {
	if props["email"] != "" || props["firstname"] != "" || props["lastname"] != "" {
		return props
	}
	p := maps.Clone(props)
	p["lastname"] = phone
	return p
}

// searchPhone finds the oldest contact holding phone other than deleted,
// the linked one HubSpot no longer has ("": none); "" when there is none.
// Search lags behind writes, deletions too, so it may still show the
// deleted one a while, first when it is the oldest: asked for one result,
// a contact a salesperson made of the person beside it was passed over
// with it, and a third made. Two results are asked for.
func (a *Adapter) searchPhone(ctx context.Context, phone, deleted string) (string, error) {
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_search", Budget: searchBudget, Method: http.MethodPost, Safe: true, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts/search",
		Body: map[string]any{"filterGroups": []any{map[string]any{"filters": []any{
			map[string]string{"propertyName": "phone", "operator": "EQ", "value": phone}}}},
			"sorts": []string{"hs_object_id"}, "limit": 2},
	})
	if err != nil {
		return "", err
	}
	if resp.Status != http.StatusOK {
		return "", a.classify(resp)
	}
	var ans struct {
		Total   int      `json:"total"`
		Results []object `json:"results"`
	}
	if err := crm.DecodeJSON(resp, &ans); err != nil {
		return "", err
	}
	held := ans.Total
	i := slices.IndexFunc(ans.Results, func(o object) bool { return o.ID != "" && o.ID != deleted })
	if slices.ContainsFunc(ans.Results, func(o object) bool { return deleted != "" && o.ID == deleted }) {
		held--
	}
	if i < 0 {
		return "", nil
	}
	if held > 1 { // made by hand: the choice is stable, but said
		a.opts.Logger.Warn().Int("contacts", held).Str("contact_id", ans.Results[i].ID).
			Msg("hubspot: several contacts hold the lead's phone; the lead goes to the oldest (merge them in HubSpot)")
	}
	return ans.Results[i].ID, nil
}

// patchContact updates the contact id; gone reports that HubSpot no longer
// has it (404), its link and create intent then forgotten.
func (a *Adapter) patchContact(ctx context.Context, key, id string, props map[string]string) (r syncd.Result, gone bool) {
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_update", Method: http.MethodPatch, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts/" + id, Body: map[string]any{"properties": props}})
	if err != nil {
		return syncd.Result{Err: err}, false
	}
	if resp.Status == http.StatusNotFound {
		// Deleted in HubSpot since: forget the link so that it is made anew.
		a.unlink(ctx, key)
		return syncd.Result{Err: a.classifyRetry(resp)}, true
	}
	if resp.Status != http.StatusOK {
		return syncd.Result{Err: a.classify(resp)}, false
	}
	// A merged contact answers for its old id as the record that absorbed
	// it, under that record's id: the link follows it.
	var o object
	if crm.DecodeJSON(resp, &o) == nil && o.ID != "" {
		id = o.ID
	}
	a.link(ctx, key, id, "hubspot: record contact link")
	return syncd.Result{ID: id}, false
}

// unconfirmed turns the failure of a guarded create whose answer was lost
// into ErrWait: the contact may exist, and only search, once it has caught
// up, can tell; only this record waits, the CRM is not known to be down.
func (a *Adapter) unconfirmed(err error) error {
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Class != syncd.ErrRetry {
		return err
	}
	w := *ce
	w.Class, w.RetryAfter = syncd.ErrWait, max(ce.RetryAfter, a.opts.SearchLag)
	return &w
}

// classifyRetry classifies resp but makes it transient.
func (a *Adapter) classifyRetry(resp *crm.Response) *syncd.CRMError {
	e := a.classify(resp)
	e.Class = syncd.ErrRetry
	return e
}
