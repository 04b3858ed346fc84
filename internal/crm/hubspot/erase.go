package hubspot

import (
	"context"
	"net/http"
	"strings"

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
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return err
	}
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
	return a.gdprDelete(ctx, map[string]string{"objectId": contactID})
}

var _ syncd.HolderEraser = (*Adapter)(nil)

// EraseHolders GDPR-deletes the contact that holds the email key now
// (POST …/gdpr-delete {"objectId":key,"idProperty":"email"} -> 204), whatever
// its id; when none does, HubSpot answers 204 too and keeps the email from
// being used again. HubSpot cannot look a contact up by phone (it is not a
// unique property): ok is false for a phone.
func (a *Adapter) EraseHolders(ctx context.Context, key string) (bool, error) {
	if !strings.Contains(key, "@") {
		return false, nil
	}
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return true, err
	}
	return true, a.gdprDelete(ctx, map[string]string{"objectId": key, "idProperty": "email"})
}

// gdprDelete sends HubSpot's GDPR delete of one contact; a contact
// already gone counts as erased.
func (a *Adapter) gdprDelete(ctx context.Context, body map[string]string) error {
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_gdpr_delete", Method: http.MethodPost, Safe: true,
		Header: a.header(), URL: a.opts.BaseURL + "/crm/v3/objects/contacts/gdpr-delete", Body: body})
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
