package hubspot

import (
	"context"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// secondaryEmails is the contact property listing a contact's other
// emails (";"-separated), which find it as its email does.
const secondaryEmails = "hs_additional_emails"

// heldAsSecondary maps each email a result of a batch read by email holds
// as a secondary email to that result's id; nil for other reads.
func heldAsSecondary(idProp string, results []object) map[string]string {
	if idProp != "email" {
		return nil
	}
	held := map[string]string{}
	for _, r := range results {
		for _, e := range strings.Split(r.Properties[secondaryEmails], ";") {
			if e = normID(idProp, e); e != "" {
				held[e] = r.ID
			}
		}
	}
	return held
}

// movedContact writes a contact whose email is no longer a contact's
// primary email in HubSpot although syncd wrote it there (linked is its
// id) or a contact holds it as a secondary email (heldBy): a salesperson
// changed the person's email, keeping the old one or not, or merged the
// contact into another. An upsert by that email would make a second
// contact (or, by a secondary email, what HubSpot does is not documented,
// and may make it the primary again), so the contact is updated by its
// id, without the email (the salesperson's is kept) and without the
// create-only properties, and a warning names it by id. ok is false when
// that contact no longer exists (deleted in HubSpot): the input is then
// upserted by its email, made anew as any deleted contact is.
func (a *Adapter) movedContact(ctx context.Context, in input, linked, heldBy string) (r syncd.Result, ok bool) {
	id := heldBy
	if id == "" {
		id = linked
	}
	props := a.writeModes().OnUpdate(syncd.RecordContact, in.Properties)
	delete(props, "email")
	r, gone := a.patchContact(ctx, in.ID, id, props)
	if gone {
		a.contactGone(id)
		return syncd.Result{}, false
	}
	if r.Err == nil {
		a.opts.Logger.Warn().Str("contact_id", r.ID).Bool("secondary", heldBy != "").
			Msg("hubspot: the lead's email is no longer its contact's email in HubSpot (changed there, or the contact merged): " +
				"the lead is written to that contact by its id, its email left as it is there, no second contact made")
	}
	return r, true
}

// contactGone says that the contact id syncd wrote the lead's person to
// was deleted in HubSpot since, and that it is made again: else the new
// contact came without a word, and the old id stayed on the report rows of
// the person's earlier leads.
func (a *Adapter) contactGone(id string) {
	a.opts.Logger.Warn().Str("contact_id", id).
		Msg("hubspot: the lead's contact was deleted in HubSpot since syncd wrote it: the contact is made again " +
			"(the person's earlier leads keep the old id in their reports)")
}
