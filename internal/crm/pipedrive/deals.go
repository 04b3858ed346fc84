package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertDeals writes each deal: updated by its linked id, else found among
// its person's deals by the lead-id field, else created with person_id. A
// deal whose person has no id yet is not written (ErrRetry).
func (a *Adapter) UpsertDeals(ctx context.Context, deals []syncd.Deal) []syncd.Result {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return crm.Refused(len(deals), err)
	}
	return upsertEach(a, deals, func(d syncd.Deal) string { return d.LeadID },
		func(ds []syncd.Deal) syncd.Result {
			d := ds[len(ds)-1] // the newest
			r := a.hiddenPlace(ctx, d.Properties, a.fresh(ctx, syncd.RecordDeal, d.LeadID, d.Properties, func() syncd.Result {
				return a.payloadOption(syncd.RecordDeal, d.Properties, a.upsertDeal(ctx, d))
			}))
			return a.visibilityRefused(syncd.RecordDeal, d.Properties, a.systemConstant(syncd.RecordDeal, d.Properties, r))
		})
}

func (a *Adapter) upsertDeal(ctx context.Context, d syncd.Deal) syncd.Result {
	if d.LeadID == "" {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "deal has no lead id"}}
	}
	if a.opts.LeadIDField == "" {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrAuth, Code: "NOT_CONFIGURED", Message: "pipedrive lead id field is not configured"}}
	}
	pid := d.ContactID
	if pid == "" && d.ContactKey != "" {
		pid, _ = a.opts.Links.Link(ctx, Name, syncd.RecordContact, d.ContactKey)
	}
	person, err := strconv.ParseInt(pid, 10, 64)
	if err != nil || person <= 0 {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrRetry, Code: "CONTACT_UNKNOWN", Message: "the deal's person has no CRM id yet"}}
	}
	sc, err := a.schemaFor(ctx)
	if err != nil {
		return syncd.Result{Err: err}
	}
	lead, err := sc.field(syncd.RecordDeal, a.opts.LeadIDField)
	if err != nil {
		return syncd.Result{Err: err}
	}
	body, err := dealBody(d, lead.Code, person, sc, a.writeModes(), false)
	if err != nil {
		return syncd.Result{Err: a.accountsType(err, sc, syncd.RecordDeal, d.Properties)}
	}
	changes, err := dealBody(d, lead.Code, person, sc, a.writeModes(), true)
	if err != nil {
		return syncd.Result{Err: err}
	}
	a.warnCut(fitBody(body, sc, syncd.RecordDeal, lead.Code), syncd.RecordDeal, d.LeadID)
	fitBody(changes, sc, syncd.RecordDeal, lead.Code) // a part of body: warned
	update := func(ctx context.Context, id string) (syncd.Result, bool) {
		r, gone := a.patch(ctx, "deals", syncd.RecordDeal, d.LeadID, id, changes)
		return a.hiddenDeal(ctx, id, r), gone
	}
	id, err := a.opts.Links.Link(ctx, Name, syncd.RecordDeal, d.LeadID)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read link: %v", err))}
	}
	purged := ""
	if id != "" {
		r, gone := update(ctx, id)
		if !gone && a.dealDeleted(ctx, id, r) {
			return syncd.Result{ID: id}
		}
		if !gone {
			return a.personGone(ctx, d.ContactKey, person, r)
		}
		purged = id
	}
	if id, err = a.findDeal(ctx, person, lead.Code, d.LeadID); err != nil {
		return syncd.Result{Err: err}
	}
	if id != "" {
		r, _ := update(ctx, id)
		return a.personGone(ctx, d.ContactKey, person, a.confirmed(ctx, syncd.RecordDeal, d.LeadID, r))
	}
	if purged != "" {
		return a.dealPurged(ctx, d.LeadID, purged)
	}
	r := a.guarded(ctx, "deals", syncd.RecordDeal, d.LeadID, body, update, a.recheckDeal(lead.Code, d.LeadID))
	return a.personGone(ctx, d.ContactKey, person, r)
}

// personGone looks, when Pipedrive refused a deal write as invalid, for
// the deal's person: when it is gone (merged into another or deleted in
// Pipedrive, as far as its answer tells) its stale link
// is cleared and the deal is ErrContactGone, so the person is written
// again first. Any other outcome leaves r as it is.
func (a *Adapter) personGone(ctx context.Context, contactKey string, person int64, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if contactKey == "" || !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent {
		return r
	}
	how := a.personGoneHow(ctx, idString(person))
	if how == "" {
		return r
	}
	a.unlink(ctx, syncd.RecordContact, contactKey)
	return syncd.Result{Err: &syncd.CRMError{Status: ce.Status, Class: syncd.ErrContactGone, Code: "CONTACT_GONE",
		Message: "the deal's person was " + how + "; it is written again first (found by its email or phone, else made)"}}
}

// recheckDeal looks for the deal by a search on its lead id, then among
// the most recently added deals.
func (a *Adapter) recheckDeal(leadKey, lead string) recheck {
	return func(ctx context.Context, sent time.Time) (string, bool, error) {
		id, err := a.searchDeal(ctx, leadKey, lead)
		if err != nil || id != "" {
			return id, false, err
		}
		return a.recent(ctx, "deals", sent, func(r listed) bool {
			return fmt.Sprint(r.CustomFields[leadKey]) == lead
		})
	}
}

// searchDeal returns the lowest deal id whose custom fields exactly hold
// lead, or "". Search returns custom field values without their keys, so a
// hit is read back to check the lead-id field itself.
func (a *Adapter) searchDeal(ctx context.Context, leadKey, lead string) (string, error) {
	var out struct {
		Data struct {
			Items []struct {
				Item struct {
					ID int64 `json:"id"`
				} `json:"item"`
			} `json:"items"`
		} `json:"data"`
	}
	q := url.Values{"term": {lead}, "fields": {"custom_fields"}, "exact_match": {"true"}, "limit": {"100"}}
	if _, err := a.do(ctx, crm.Call{Op: "deals_search", Budget: searchBudget, Method: http.MethodGet, URL: a.url("/deals/search", q)}, &out); err != nil {
		return "", err
	}
	var best int64
	for _, it := range out.Data.Items {
		if it.Item.ID == 0 || best != 0 && it.Item.ID > best {
			continue
		}
		var one struct {
			Data listed `json:"data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: "deals_get", Method: http.MethodGet, URL: a.url("/deals/"+idString(it.Item.ID), nil)}, &one); err != nil {
			return "", err
		}
		if fmt.Sprint(one.Data.CustomFields[leadKey]) == lead {
			best = it.Item.ID
		}
	}
	if best == 0 {
		return "", nil
	}
	return idString(best), nil
}

// findDeal lists the person's deals (all pages) and returns the lowest id
// whose lead-id field equals lead, or "".
func (a *Adapter) findDeal(ctx context.Context, person int64, leadKey, lead string) (string, error) {
	q := url.Values{"person_id": {strconv.FormatInt(person, 10)}, "limit": {"500"}}
	var best int64
	for page := 0; page < 100; page++ {
		var out struct {
			Data []struct {
				ID           int64          `json:"id"`
				CustomFields map[string]any `json:"custom_fields"`
			} `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: "deals_list", Method: http.MethodGet, URL: a.url("/deals", q)}, &out); err != nil {
			return "", err
		}
		for _, d := range out.Data {
			if fmt.Sprint(d.CustomFields[leadKey]) == lead && (best == 0 || d.ID < best) {
				best = d.ID
			}
		}
		if out.AdditionalData.NextCursor == nil || *out.AdditionalData.NextCursor == "" {
			break
		}
		q.Set("cursor", *out.AdditionalData.NextCursor)
	}
	if best == 0 {
		return "", nil
	}
	return strconv.FormatInt(best, 10), nil
}
