package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertDeals writes each deal: updated by its linked id, else found among
// its person's deals by the lead-id field, else created with person_id. A
// deal whose person has no id yet is not written (ErrRetry).
func (a *Adapter) UpsertDeals(ctx context.Context, deals []syncd.Deal) []syncd.Result {
	return upsertEach(a, deals, func(d syncd.Deal) string { return d.LeadID },
		func(d syncd.Deal) syncd.Result { return a.upsertDeal(ctx, d) })
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
	body, err := dealBody(d, lead.Code, person, sc)
	if err != nil {
		return syncd.Result{Err: err}
	}
	id, err := a.opts.Links.Link(ctx, Name, syncd.RecordDeal, d.LeadID)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read link: %v", err))}
	}
	if id != "" {
		if r, gone := a.patch(ctx, "deals", syncd.RecordDeal, d.LeadID, id, body); !gone {
			return r
		}
	}
	if id, err = a.findDeal(ctx, person, lead.Code, d.LeadID); err != nil {
		return syncd.Result{Err: err}
	}
	if id != "" {
		r, _ := a.patch(ctx, "deals", syncd.RecordDeal, d.LeadID, id, body)
		return r
	}
	return a.createDeal(ctx, d.LeadID, body)
}

// createDeal POSTs a deal. The person's deal list does not lag, so the
// lookup before it is enough to make resending safe: no guard wait.
func (a *Adapter) createDeal(ctx context.Context, lead string, body map[string]any) syncd.Result {
	var out idOnly
	if _, err := a.do(ctx, crm.Call{Op: "deals_create", Method: http.MethodPost, URL: a.url("/deals", nil), Body: body}, &out); err != nil {
		return syncd.Result{Err: err}
	}
	if out.Data.ID == 0 {
		return syncd.Result{Err: crm.RetryErr("deals create: answer without an id")}
	}
	id := strconv.FormatInt(out.Data.ID, 10)
	a.link(ctx, syncd.RecordDeal, lead, id)
	return syncd.Result{ID: id}
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
