package hubspot

import (
	"cmp"
	"context"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// upsertKeeping is upsert that keeps what people changed in HubSpot: when
// the mapping makes some properties of kind create-only (dealstage,
// pipeline, lifecyclestage, ...), the records that already exist are read
// first (one batch read per batch) and sent without them. Deals syncd wrote
// before (linked) are read first too: one HubSpot no longer has was
// deleted there by a person, and is left so (see readFirst): its lead id
// is set in left (nil for contacts). So are contacts syncd wrote before
// by their email: one whose email a person changed since is written by its
// id, its email left as they set it (see movedContact).
func (a *Adapter) upsertKeeping(ctx context.Context, object string, kind syncd.RecordKind, inputs []input, left map[string]bool) map[string]syncd.Result {
	links := a.knownLinks(ctx, kind, inputs)
	if len(inputs) == 0 || (!a.hasCreateOnly(kind) && len(links) == 0 && !nameless(kind, inputs)) {
		return a.upsert(ctx, object, inputs)
	}
	out := make(map[string]syncd.Result, len(inputs))
	for len(inputs) > 0 {
		n := min(len(inputs), a.opts.BatchSize)
		batch, err := a.readFirst(ctx, object, kind, inputs[:n], links, left, out)
		switch {
		case err != nil:
			setAll(out, inputs[0].IDProperty, inputs[:n], err)
		case len(batch) > 0:
			a.upsertBatch(ctx, object, batch, out)
		}
		inputs = inputs[n:]
	}
	return out
}

// knownLinks are the HubSpot ids of the records among inputs that syncd
// wrote before, by input id: deals by lead id, contacts by email (those
// upserted by a contact key property have none here: no person changes
// that key). They are read in one query (crm.LinksOf); links that cannot
// be read are taken for none, as each one was when read alone.
func (a *Adapter) knownLinks(ctx context.Context, kind syncd.RecordKind, inputs []input) map[string]string {
	if len(inputs) == 0 || (kind != syncd.RecordDeal && inputs[0].IDProperty != "email") {
		return map[string]string{}
	}
	return a.linksOf(ctx, kind, inputs)
}

// linksOf are the CRM ids linked to inputs' ids, by input id; none when
// the store cannot say.
func (a *Adapter) linksOf(ctx context.Context, kind syncd.RecordKind, inputs []input) map[string]string {
	keys := make([]string, len(inputs))
	for i, in := range inputs {
		keys[i] = in.ID
	}
	links, err := crm.LinksOf(ctx, a.opts.Links, Name, kind, keys)
	if err != nil {
		return map[string]string{}
	}
	return links
}

// nameless reports whether a contact among inputs has no email, first
// or last name: HubSpot creates no contact without one, so the inputs are
// read first and a new one is named by its phone (named), which an update
// does not write over a name given since. Only contacts upserted by the
// contact key property can be nameless: the others carry their email.
func nameless(kind syncd.RecordKind, inputs []input) bool {
	if kind != syncd.RecordContact {
		return false
	}
	for _, in := range inputs {
		if p := in.Properties; p["email"] == "" && p["firstname"] == "" && p["lastname"] == "" {
			return true
		}
	}
	return false
}

func (a *Adapter) hasCreateOnly(kind syncd.RecordKind) bool {
	for _, m := range a.writeModes()[kind] {
		if m == syncd.WriteCreate {
			return true
		}
	}
	return false
}

// readFirst reads which inputs of batch exist and takes their create-only
// properties out. A linked deal HubSpot no longer has was deleted (or
// archived: the same in HubSpot) by a person since syncd wrote it: its
// update is not written, as the upsert would make the deal again, but
// answered done with the id it had (its lead id set in left), and a
// warning is logged. A contact whose email no longer finds a contact by
// its primary email is written by movedContact when syncd linked it or a
// contact holds the email as a secondary one. An input the read failed for
// another reason than not found (HubSpot's own failure: see notRead) is
// neither: it is answered with that error. It returns the inputs to send.
func (a *Adapter) readFirst(ctx context.Context, object string, kind syncd.RecordKind, batch []input, links map[string]string, left map[string]bool, out map[string]syncd.Result) ([]input, error) {
	idProp := batch[0].IDProperty
	var also []string
	if idProp == "email" {
		also = []string{secondaryEmails}
	}
	if kind == syncd.RecordDeal {
		also = []string{"pipeline"} // a deal a person moved to another pipeline keeps it (keepPipeline)
	}
	resp, err := a.http.Do(ctx, crm.Call{
		Op: object + "_batch_read", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v3/objects/" + object + "/batch/read",
		JSON: readBody(idProp, batch, also...),
	})
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK && resp.Status != http.StatusMultiStatus {
		return nil, a.classify(resp) // a rejected token pauses the adapter as on any call
	}
	ans, err := decodeBatch(resp)
	if err != nil {
		return nil, err
	}
	exists := map[string]bool{}
	for _, r := range ans.Results {
		exists[normID(idProp, r.Properties[idProp])] = true
	}
	unread, all := notRead(object, idProp, ans.Errors, resp.Status)
	held := heldAsSecondary(idProp, ans.Results)
	var deals map[string][2]string
	if kind == syncd.RecordDeal {
		deals = dealPipelines(idProp, ans.Results)
	}
	send := make([]input, 0, len(batch))
	for _, in := range batch {
		id, linked := links[in.ID]
		if ce := unread[normID(idProp, in.ID)]; !exists[normID(idProp, in.ID)] && (ce != nil || all != nil) {
			out[normID(idProp, in.ID)] = syncd.Result{Err: cmp.Or(ce, all)}
			continue
		}
		switch {
		case exists[normID(idProp, in.ID)]:
			wanted := in.Properties["pipeline"]
			in.Properties = a.writeModes().OnUpdate(kind, in.Properties)
			if d, ok := deals[normID(idProp, in.ID)]; ok {
				in.Properties = a.keepPipeline(in.Properties, wanted, d[1], d[0], in.ID)
			}
		case kind == syncd.RecordContact && (linked || held[normID(idProp, in.ID)] != ""):
			if r, ok := a.movedContact(ctx, in, id, held[normID(idProp, in.ID)]); ok {
				out[normID(idProp, in.ID)] = r
				continue
			}
		case linked:
			a.opts.Logger.Warn().Str("deal_id", id).
				Msg("hubspot: the lead's deal was deleted in HubSpot: its update is not written")
			out[normID(idProp, in.ID)], left[in.ID] = syncd.Result{ID: id, Gone: true}, true
			continue
		case kind == syncd.RecordContact:
			in.Properties = named(in.Properties, in.Properties["phone"]) // a new contact
		}
		send = append(send, in)
	}
	return send, nil
}

// notRead returns the errors of a batch read's 207 that are not
// OBJECT_NOT_FOUND, by the normalized id they name, and one that names
// none (it may be any input's). An input not returned for such a reason
// may exist all the same: taken for deleted, a linked deal's update was
// dropped and answered done. Each is what its category says (itemClass);
// a scope the private app lacks is the account's, as a 403's
// (scopesItemError).
func notRead(object, idProp string, errs []batchError, status int) (map[string]*syncd.CRMError, *syncd.CRMError) {
	byID := map[string]*syncd.CRMError{}
	var all *syncd.CRMError
	for _, e := range errs {
		if e.Category == "OBJECT_NOT_FOUND" {
			continue
		}
		ce := &syncd.CRMError{Status: status, Code: e.Category, Message: e.Message, Class: itemClass(e.Category)}
		if e.Category == categoryScopes {
			ce = scopesItemError(e, object+"_read")
		}
		if len(e.Context["ids"]) == 0 {
			all = ce
		}
		for _, id := range e.Context["ids"] {
			byID[normID(idProp, id)] = ce
		}
	}
	return byID, all
}
