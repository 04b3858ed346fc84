package hubspot

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// phoneFirst writes, of the contacts known by email, those syncd has
// never written by that email whose phone is that of a contact syncd made
// for a lead that left only that phone, onto that contact, when it is
// the same person: HubSpot has no email for it, and it bears the lead's
// first and last name. The email's upsert made a second contact of the
// person who enquired by phone first and then by email. A contact with
// another name, or none (named by its phone), may be someone else
// answering the same phone (a firm's switchboard), and one with an email
// is another person's: those are left to the upsert, as before. It
// returns the inputs left to upsert and the results of those written.
func (a *Adapter) phoneFirst(ctx context.Context, contacts []syncd.Contact, emails []input, byEmail map[string][]int) ([]input, map[string]syncd.Result) {
	phoneOf := map[string]string{} // email -> phone, of the inputs that have one
	var phones []string
	for _, in := range emails {
		idx := byEmail[in.ID]
		// The first update's phone: sent one after another, the first
		// wrote the email, and the later ones found it known.
		if p := contacts[idx[0]].Phone; p != "" {
			phoneOf[in.ID] = p
			phones = append(phones, p)
		}
	}
	if len(phones) == 0 {
		return emails, nil
	}
	byPhone, err := crm.LinksOf(ctx, a.opts.Links, Name, syncd.RecordContact, phones)
	if err != nil || len(byPhone) == 0 {
		return emails, nil
	}
	known := a.linksOf(ctx, syncd.RecordContact, emails)
	got := map[string]syncd.Result{}
	rest := emails[:0:0]
	read := map[string]*object{} // the contacts read in this call, by id
	for _, in := range emails {
		id := byPhone[phoneOf[in.ID]]
		if id == "" || known[in.ID] != "" {
			rest = append(rest, in)
			continue
		}
		r, ok := a.ontoPhoneOnly(ctx, in, id, read)
		if !ok {
			rest = append(rest, in)
			continue
		}
		got[in.ID] = r
	}
	return rest, got
}

// ontoPhoneOnly writes in onto the phone-only contact id when it is the
// same person (see phoneFirst); ok is false when it is not, or HubSpot
// refused the update (no longer has it, the email another contact's, a
// value refused): the upsert then writes in as before. read holds the
// contacts read in this call, so that the leads of a batch sharing one
// phone (a broker's, a switchboard's) read its contact once, not once
// each, out of the CRM's rate limit: a contact joined is kept there
// with its new email, so no later lead of the batch joins it too.
func (a *Adapter) ontoPhoneOnly(ctx context.Context, in input, id string, read map[string]*object) (syncd.Result, bool) {
	c, seen := read[id]
	if !seen {
		var err error
		if c, err = a.readContact(ctx, id); err != nil {
			return syncd.Result{Err: err}, true
		}
		read[id] = c
	}
	if c == nil || !samePerson(c.Properties, in.Properties) {
		return syncd.Result{}, false
	}
	props := a.writeModes().OnUpdate(syncd.RecordContact, in.Properties)
	props["email"] = in.ID
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_update", Method: http.MethodPatch, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts/" + id, Body: map[string]any{"properties": props}})
	if err != nil {
		return syncd.Result{Err: err}, true
	}
	switch st := resp.Status; {
	case st == http.StatusOK:
	case st >= 400 && st < 500 && st != http.StatusUnauthorized && st != http.StatusForbidden && st != http.StatusTooManyRequests:
		// Gone (404), the email another contact's (409: the answer to a
		// PATCH is not documented, so any refusal), or a value refused:
		// the upsert writes it as before, and says why it fails if it does.
		return syncd.Result{}, false
	default:
		return syncd.Result{Err: a.classify(resp)}, true
	}
	c.Properties = maps.Clone(c.Properties)
	if c.Properties == nil {
		c.Properties = map[string]string{}
	}
	c.Properties["email"] = in.ID // no longer phone-only
	var o object
	if crm.DecodeJSON(resp, &o) == nil && o.ID != "" {
		id = o.ID // a merged contact answers under its new id
	}
	a.link(ctx, in.ID, id, "hubspot: record contact link")
	a.opts.Logger.Info().Str("contact_id", id).
		Msg("hubspot: the lead's email was added to the contact syncd made for its phone alone (the same name)")
	return syncd.Result{ID: id}, true
}

// readContact reads contact id's email and names; nil when HubSpot no
// longer has it.
func (a *Adapter) readContact(ctx context.Context, id string) (*object, error) {
	q := url.Values{"properties": {"email,firstname,lastname"}}
	resp, err := a.http.Do(ctx, crm.Call{Op: "contacts_read", Method: http.MethodGet, Safe: true, Header: a.header(),
		URL: a.opts.BaseURL + "/crm/v3/objects/contacts/" + id + "?" + q.Encode()})
	if err != nil {
		return nil, err
	}
	if resp.Status == http.StatusNotFound {
		return nil, nil
	}
	if resp.Status != http.StatusOK {
		return nil, a.classify(resp)
	}
	var o object
	if err := crm.DecodeJSON(resp, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// samePerson reports whether a phone-only contact's properties (have) are
// the person of a lead's (lead): no email, and the lead's first and last
// name (at least one given) equal to the contact's, ignoring case.
func samePerson(have, lead map[string]string) bool {
	if strings.TrimSpace(have["email"]) != "" {
		return false
	}
	named := false
	for _, p := range []string{"firstname", "lastname"} {
		l, h := strings.TrimSpace(lead[p]), strings.TrimSpace(have[p])
		if !strings.EqualFold(l, h) {
			return false
		}
		named = named || l != ""
	}
	return named
}
