package pipedrive

import (
	"context"
	"errors"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// dealDeleted reports, when Pipedrive refused the update of a linked deal
// (a 4xx other than 401 and 429), whether a person deleted or archived the
// deal in Pipedrive, which refuses edits of either [pd-cl-del][pd-cl-arch]:
// the lead's update is then not written, neither dead-lettered nor making
// the deal again; the deal stays as the salesperson left it.
func (a *Adapter) dealDeleted(ctx context.Context, id string, r syncd.Result) bool {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Status < 400 || ce.Status > 499 ||
		ce.Status == http.StatusUnauthorized || ce.Status == http.StatusTooManyRequests {
		return false
	}
	var out struct {
		Data struct {
			Deleted  bool   `json:"is_deleted"`
			Archived bool   `json:"is_archived"`
			Status   string `json:"status"`
		} `json:"data"`
	}
	resp, err := a.do(ctx, crm.Call{Op: "deals_get", Method: http.MethodGet, URL: a.url("/deals/"+id, nil)}, &out)
	gone := resp != nil && resp.Status == http.StatusGone ||
		err == nil && (out.Data.Deleted || out.Data.Archived || out.Data.Status == "deleted")
	if gone {
		a.opts.Logger.Warn().Str("deal_id", id).Int("status", ce.Status).
			Msg("pipedrive: the lead's deal was deleted or archived in Pipedrive: its update is not written")
	}
	return gone
}

// dealPurged leaves a linked deal Pipedrive no longer has (404: deleted
// for good, as a soft-deleted deal is after 30 days [pd-mig]) and no other
// deal of the person carries the lead id: the lead's update is not
// written and the deal not made again, as for a deal still in the trash
// (dealDeleted) and HubSpot's deleted deals. The link is kept, so that
// later updates do the same.
func (a *Adapter) dealPurged(ctx context.Context, lead, id string) syncd.Result {
	a.link(ctx, syncd.RecordDeal, lead, id)
	a.opts.Logger.Warn().Str("deal_id", id).
		Msg("pipedrive: the lead's deal was deleted for good in Pipedrive: its update is not written, nor the deal made again")
	return syncd.Result{ID: id}
}
