package hubspot

import (
	"context"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Eraser = (*Adapter)(nil)

// Erase deletes the contact by HubSpot's GDPR delete
// (POST /crm/v3/objects/contacts/gdpr-delete -> 204), which, unlike a plain
// delete, cannot be restored and keeps the email from being used again.
// Deals are left: they are the agency's records of the enquiry, and their
// association to the contact goes with it. A contact already gone (404)
// counts as erased.
func (a *Adapter) Erase(ctx context.Context, contactID string, _ []string) error {
	if contactID == "" {
		return nil
	}
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_gdpr_delete", Method: http.MethodPost, Safe: true,
		Header: a.header(), URL: a.opts.BaseURL + "/crm/v3/objects/contacts/gdpr-delete",
		Body: map[string]string{"objectId": contactID}})
	if err != nil {
		return err
	}
	if resp.Status/100 == 2 || resp.Status == http.StatusNotFound {
		return nil
	}
	return a.classify(resp)
}
