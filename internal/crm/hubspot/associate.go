package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// contactRef is the contact a deal is associated with: its key in the
// outbox and its CRM id as last known.
type contactRef struct{ key, id string }

type assocRef struct {
	ID string `json:"id"`
}

type assocInput struct {
	From assocRef `json:"from"`
	To   assocRef `json:"to"`
}

// assoc is one deal to associate: its lead, its input, and the outcome.
type assoc struct {
	lead    string
	contact contactRef
	in      assocInput
	err     error // nil once associated
	missing bool  // the CRM answered that the deal or the contact does not exist
}

// associate links each written deal to its contact, updating got in place;
// deals left alone (deleted in HubSpot) are not associated.
// Failures are kept per deal: one contact deleted or merged in HubSpot
// fails only its own deals. A contact that is gone is looked up by its old
// id: a merged one answers as the record that absorbed it, and the deal is
// associated with that; a deleted one makes the deal ErrContactGone, so the
// syncer writes the contact again before the deal.
func (a *Adapter) associate(ctx context.Context, got map[string]syncd.Result, contactOf map[string]contactRef, left map[string]bool) {
	var todo []*assoc
	for lead, r := range got {
		if r.Err != nil || left[lead] {
			continue
		}
		c := contactOf[lead]
		if c.id == "" {
			got[lead] = syncd.Result{ID: r.ID, Err: &syncd.CRMError{Class: syncd.ErrWait, Code: "CONTACT_UNKNOWN",
				Message: "deal written; its contact has no CRM id yet"}}
			continue
		}
		todo = append(todo, &assoc{lead: lead, contact: c, in: assocInput{From: assocRef{r.ID}, To: assocRef{c.id}}})
	}
	for i := 0; i < len(todo); i += a.opts.BatchSize {
		a.associateBatch(ctx, todo[i:min(i+a.opts.BatchSize, len(todo))])
	}
	for _, t := range todo {
		if t.missing {
			a.heal(ctx, t)
		}
		got[t.lead] = syncd.Result{ID: t.in.From.ID, Err: t.err}
	}
}

// associateBatch associates batch in one call. HubSpot's answer is
// checked input by input: an input that a 2xx neither lists among its
// results nor names in an error is associated again alone (the PUT is
// idempotent), and so is every input when a 207 names none.
func (a *Adapter) associateBatch(ctx context.Context, batch []*assoc) {
	if len(batch) == 1 {
		a.associateOne(ctx, batch[0])
		return
	}
	inputs := make([]assocInput, len(batch))
	for i, t := range batch {
		inputs[i] = t.in
	}
	resp, err := a.http.Do(ctx, crm.Call{Op: "deals_associate_batch", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v4/associations/deals/contacts/batch/associate/default",
		JSON: associateBody(inputs)})
	switch {
	case err != nil:
		setAssoc(batch, err)
	case resp.Status/100 == 2:
		var ans assocAnswer
		if crm.DecodeJSON(resp, &ans) != nil {
			ans = assocAnswer{} // unread: nothing is taken as done
		}
		named := resp.Status == http.StatusMultiStatus && a.partialAssoc(resp.Status, ans, batch)
		done := ans.done()
		for _, t := range batch {
			if resp.Status == http.StatusMultiStatus && !named || t.err == nil && !done[t.in] {
				a.associateOne(ctx, t)
			}
		}
	default:
		ce := a.classify(resp)
		if ce.Class != syncd.ErrPermanent {
			setAssoc(batch, ce)
			return
		}
		// HubSpot refused the call for an input it names nowhere: each
		// alone, so that only the deal it refuses fails.
		for _, t := range batch {
			a.associateOne(ctx, t)
		}
	}
}

// assocAnswer is HubSpot's answer to a batch association: each result
// names its pair as from and to (batch/associate/default) or as
// fromObjectId and toObjectId (the labelled batch/create); the errors are
// a batch upsert's.
type assocAnswer struct {
	Results []struct {
		From         assocRef `json:"from"`
		To           assocRef `json:"to"`
		FromObjectID flexID   `json:"fromObjectId"`
		ToObjectID   flexID   `json:"toObjectId"`
	} `json:"results"`
	Errors []batchError `json:"errors"`
}

// done is the set of pairs the answer lists as associated.
func (ans assocAnswer) done() map[assocInput]bool {
	out := make(map[assocInput]bool, len(ans.Results))
	for _, r := range ans.Results {
		out[assocInput{From: r.From, To: r.To}] = true
		out[assocInput{From: assocRef{string(r.FromObjectID)}, To: assocRef{string(r.ToObjectID)}}] = true
	}
	return out
}

// flexID is an id HubSpot may write as a string or as a number.
type flexID string

// UnmarshalJSON reads a string or a number.
func (f *flexID) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexID(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = flexID(s)
	return nil
}

// partialAssoc records the errors of a 207 (status) on the inputs they
// name, by deal or contact id; it reports false when they name none. A
// record missing (OBJECT_NOT_FOUND) is looked for (see heal); a scope the
// private app lacks is the account's, as a 403's (scopesItemError); any
// other error is what its category says (itemClass): a refusal of that
// deal's association is the deal's own, as a 400's (refusal).
func (a *Adapter) partialAssoc(status int, ans assocAnswer, batch []*assoc) bool {
	named := false
	for _, e := range ans.Errors {
		ids := map[string]bool{}
		for _, id := range e.Context["ids"] {
			ids[id] = true
		}
		for _, t := range batch {
			if !ids[t.in.From.ID] && !ids[t.in.To.ID] {
				continue
			}
			named = true
			t.missing = e.Category == "OBJECT_NOT_FOUND"
			switch {
			case t.missing:
				t.err = &syncd.CRMError{Status: status, Code: e.Category, Message: e.Message, Class: syncd.ErrRetry}
			case e.Category == categoryScopes:
				t.err = scopesItemError(e, "associations")
			default:
				t.err = refusal(t, &syncd.CRMError{Status: status, Code: e.Category, Message: e.Message, Class: itemClass(e.Category)})
			}
		}
	}
	return named
}

// associateOne associates one deal with the idempotent v4 PUT.
func (a *Adapter) associateOne(ctx context.Context, t *assoc) {
	resp, err := a.http.Do(ctx, crm.Call{Op: "deals_associate", Method: http.MethodPut, Header: a.header(),
		URL: fmt.Sprintf("%s/crm/v4/objects/deal/%s/associations/default/contact/%s", a.opts.BaseURL, t.in.From.ID, t.in.To.ID)})
	switch {
	case err != nil:
		t.err = err
	case resp.Status/100 == 2:
		t.err = nil
	case resp.Status == http.StatusNotFound:
		t.err, t.missing = a.classifyRetry(resp), true
	default:
		t.err = a.assocRefused(resp, t)
	}
}

// assocRefused is the error of an association HubSpot answered with
// resp, neither 2xx nor 404: classified as any call's (a 401 or 403
// pauses, a 429 or 5xx is retried), and a refusal (a 400) is the deal's
// own (see refusal).
func (a *Adapter) assocRefused(resp *crm.Response, t *assoc) *syncd.CRMError {
	return refusal(t, a.classify(resp))
}

// refusal is ce, the error of t's association, saying, when it refuses
// the deal alone (ErrPermanent), that HubSpot holds the deal without its
// contact: the dead letter's words, whether the refusal came as a 400 or
// as one input's error in a 207.
func refusal(t *assoc, ce *syncd.CRMError) *syncd.CRMError {
	if ce.Class == syncd.ErrPermanent {
		ce.Message = fmt.Sprintf("HubSpot wrote the deal (id %s) but refused to associate it with its contact (id %s): %s",
			t.in.From.ID, t.in.To.ID, ce.Message)
	}
	return ce
}

// heal handles an association the CRM refused because a record is
// missing, by reading the contact under its old id.
func (a *Adapter) heal(ctx context.Context, t *assoc) {
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_read", Method: http.MethodGet, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts/" + t.contact.id})
	var o object
	switch {
	case err != nil:
		t.err = err
	case resp.Status == http.StatusNotFound:
		a.unlink(ctx, t.contact.key)
		t.err = &syncd.CRMError{Status: resp.Status, Class: syncd.ErrContactGone, Code: "CONTACT_GONE",
			Message: "the deal's contact was deleted in HubSpot; it is written again first"}
	case resp.Status != http.StatusOK:
		t.err = a.classify(resp)
	case crm.DecodeJSON(resp, &o) != nil || o.ID == "" || o.ID == t.contact.id:
		// The contact exists as it was: the deal itself may be missing
		// for a moment; the next attempt writes it again.
	default:
		// Merged: HubSpot answers for the old id with the record that
		// absorbed it.
		if t.contact.key != "" {
			a.link(ctx, t.contact.key, o.ID, "hubspot: record merged contact link")
		}
		t.contact.id, t.in.To.ID = o.ID, o.ID
		a.associateOne(ctx, t)
	}
}

// unlink forgets a contact's CRM id and its create intent: the CRM no
// longer has that record, so its next create goes at once. Both paths that
// find a contact gone (its update's 404, a deal's association) end here.
func (a *Adapter) unlink(ctx context.Context, key string) {
	if key == "" {
		return
	}
	a.link(ctx, key, "", "hubspot: forget deleted contact link")
	a.guard.Abandon(ctx, syncd.RecordContact, key)
}

// link records id (or, empty, none) for the contact key, even when ctx
// ended as HubSpot answered (crm.Recording); a failure is logged as what.
func (a *Adapter) link(ctx context.Context, key, id, what string) {
	ctx, cancel := crm.Recording(ctx)
	defer cancel()
	if err := a.opts.Links.SetLink(ctx, Name, syncd.RecordContact, key, id); err != nil {
		a.opts.Logger.Warn().Err(err).Msg(what)
	}
}

func setAssoc(batch []*assoc, err error) {
	for _, t := range batch {
		t.err = err
	}
}
