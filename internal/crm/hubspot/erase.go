package hubspot

import (
	"context"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Eraser = (*Adapter)(nil)

// Erase deletes the person's deals that syncd made (DELETE
// /crm/v3/objects/deals/{id}: the shipped mappings put the person's name in
// the deal name and their message in its description), then the contact by
// HubSpot's GDPR delete (POST /crm/v3/objects/contacts/gdpr-delete -> 204),
// which, unlike a plain delete, cannot be restored and keeps the email from
// being used again. HubSpot keeps deleted deals restorable for 90 days. A
// record already gone (404) counts as erased.
func (a *Adapter) Erase(ctx context.Context, contactID string, dealIDs []string) error {
	for _, id := range dealIDs {
		resp, err := a.http.Do(ctx, crm.Call{Op: "deals_delete", Method: http.MethodDelete, Header: a.header(),
			URL: a.opts.BaseURL + "/crm/v3/objects/deals/" + id})
		if err := a.gone(resp, err); err != nil {
			return err
		}
	}
	if contactID == "" {
		return nil
	}
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_gdpr_delete", Method: http.MethodPost, Safe: true,
		Header: a.header(), URL: a.opts.BaseURL + "/crm/v3/objects/contacts/gdpr-delete",
		Body: map[string]string{"objectId": contactID}})
	return a.gone(resp, err)
}

// gone is nil when a delete succeeded or found nothing to delete.
func (a *Adapter) gone(resp *crm.Response, err error) error {
	if err != nil {
		return err
	}
	if resp.Status/100 == 2 || resp.Status == http.StatusNotFound {
		return nil
	}
	return a.classify(resp)
}
