package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Eraser = (*Adapter)(nil)

// Erase deletes the person's deals that syncd made (DELETE
// /crm/v3/objects/deals/{id}: the shipped mappings put the person's name in
// the deal name and their message in its description), then the contact by
// HubSpot's GDPR delete (POST /crm/v3/objects/contacts/gdpr-delete -> 204),
// which, unlike a plain delete, cannot be restored, and blocklists the
// email against HubSpot's screens and imports (not its API: the person's
// next lead makes the contact again, docs/crm-contracts.md). HubSpot keeps
// deleted deals restorable for 90 days. A record already gone (404) counts
// as erased; a contact that is a merge of several is not deleted
// (notMerged): HubSpot records merges, so person is not needed.
func (a *Adapter) Erase(ctx context.Context, contactID string, dealIDs []string, _ syncd.PersonCheck) error {
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
// its id; when none does, HubSpot answers 204 too and blocklists the
// email as the delete of a contact does. HubSpot cannot look a contact up
// by phone (it is not a unique property): ok is false for a phone. HubSpot
// records merges, so person is not needed: a merged contact is left by
// notMerged.
func (a *Adapter) EraseHolders(ctx context.Context, key string, _ syncd.PersonKeys) (bool, error) {
	if !strings.Contains(key, "@") {
		return false, nil
	}
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return true, err
	}
	return true, a.gdprDelete(ctx, map[string]string{"objectId": key, "idProperty": "email"})
}

// gdprDelete sends HubSpot's GDPR delete of one contact; a contact
// already gone counts as erased. A contact that is a merge of several is
// left alone (notMerged).
func (a *Adapter) gdprDelete(ctx context.Context, body map[string]string) error {
	if err := a.notMerged(ctx, body); err != nil {
		return err
	}
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

// notMerged reads the contact body names (by id, or by email) and refuses,
// as syncd.CodeMergedContact, one that is a merge of several contacts: a
// salesperson merged the person with someone else (HubSpot answers an old
// id with the merged record, and an absorbed email finds it as a secondary
// email), and the GDPR delete would delete the whole record, the others in
// it too. A record merged from two contacts of the person alone cannot be
// told from that, so it is left too, for the operator; so is one that is
// no merge but holds secondary emails (a salesperson who changed the
// person's email kept the old one, or added someone else's), which the
// message says instead of calling it a merge. A contact not found is nil:
// the delete finds it gone, or blocklists the email.
func (a *Adapter) notMerged(ctx context.Context, body map[string]string) error {
	u := a.opts.BaseURL + "/crm/v3/objects/contacts/" + url.PathEscape(body["objectId"]) +
		"?properties=email,hs_additional_emails,hs_merged_object_ids"
	if p := body["idProperty"]; p != "" {
		u += "&idProperty=" + url.QueryEscape(p)
	}
	o, found, err := a.readObject(ctx, "contacts_read", "contact", u)
	if err != nil || !found {
		return err
	}
	emails := strings.FieldsFunc(o.Properties[secondaryEmails], func(r rune) bool { return r == ';' })
	merged := o.Properties["hs_merged_object_ids"] != "" || (body["idProperty"] == "" && o.ID != body["objectId"])
	if !merged && len(emails) == 0 {
		return nil
	}
	what := fmt.Sprintf("is a merge of several contacts (%d emails): not deleted, as HubSpot's GDPR delete would delete everyone "+
		"merged into it", len(emails)+1)
	if !merged { // a salesperson kept the person's old address, or added someone else's
		what = fmt.Sprintf("holds %d emails, and is no merge (addresses added in HubSpot, the person's or someone else's): "+
			"not deleted, as HubSpot's GDPR delete would delete whoever else's data it holds", len(emails)+1)
	}
	return &syncd.CRMError{Class: syncd.ErrPermanent, Code: syncd.CodeMergedContact, Message: fmt.Sprintf(
		"contact %s %s; in HubSpot remove the person's data from it by hand (their email, name, phone, notes), "+
			"or delete it there if all of it is theirs", o.ID, what)}
}

var _ syncd.DealKeyEraser = (*Adapter)(nil)

// EraseDealKeys deletes the deal holding each lead id of keys in the
// unique deal property the upsert writes it to (UpsertDeals), read by it
// (GET /crm/v3/objects/deals/{key}?idProperty=…), then deleted by its id as
// Erase deletes the deals syncd linked: a deal HubSpot wrote whose id syncd
// never recorded (the daemon stopped before the association after the
// upsert, or the answer was lost). A deal that holds the lead id is
// syncd's own: the id is syncd's. None found counts as erased.
func (a *Adapter) EraseDealKeys(ctx context.Context, keys []string) error {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return err
	}
	for _, key := range keys {
		id, err := a.dealByKey(ctx, key)
		if err != nil {
			return err
		}
		if id == "" {
			continue
		}
		resp, err := a.http.Do(ctx, crm.Call{Op: "deals_delete", Method: http.MethodDelete, Header: a.header(),
			URL: a.opts.BaseURL + "/crm/v3/objects/deals/" + url.PathEscape(id)})
		if err := a.gone(resp, err); err != nil {
			return err
		}
	}
	return nil
}

// dealByKey returns the id of the deal holding lead id key, or "" when
// HubSpot holds none. An answer whose deal does not hold key (a read that
// took key for an id) is refused: the deal is not known to be syncd's.
func (a *Adapter) dealByKey(ctx context.Context, key string) (string, error) {
	prop := a.opts.DealKeyProperty
	o, found, err := a.readObject(ctx, "deals_read", "deal", a.opts.BaseURL+"/crm/v3/objects/deals/"+url.PathEscape(key)+
		"?idProperty="+url.QueryEscape(prop)+"&properties="+url.QueryEscape(prop))
	switch {
	case err != nil || !found:
		return "", err
	case o.ID == "":
		return "", &syncd.CRMError{Status: http.StatusOK, Class: syncd.ErrRetry, Message: "deal read: undecodable answer"}
	case o.Properties[prop] != key:
		return "", &syncd.CRMError{Status: http.StatusOK, Class: syncd.ErrPermanent, Message: fmt.Sprintf(
			"deal read by %s answered deal %s, which does not hold the lead id: not deleted", prop, o.ID)}
	}
	return o.ID, nil
}

// readObject reads the one object at u (a GET of HubSpot's objects API);
// found is false on a 404. Another answer than 200 is classified as any
// call's; one that does not decode is retried, named after what.
func (a *Adapter) readObject(ctx context.Context, op, what, u string) (o object, found bool, err error) {
	resp, err := a.http.Do(ctx, crm.Call{Op: op, Method: http.MethodGet, Header: a.header(), URL: u})
	switch {
	case err != nil:
		return o, false, err
	case resp.Status == http.StatusNotFound:
		return o, false, nil
	case resp.Status != http.StatusOK:
		return o, false, a.classify(resp)
	case crm.DecodeJSON(resp, &o) != nil:
		return o, false, &syncd.CRMError{Status: resp.Status, Class: syncd.ErrRetry, Message: what + " read: undecodable answer"}
	}
	return o, true, nil
}
