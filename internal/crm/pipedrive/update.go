package pipedrive

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// updatePerson updates an existing person without undoing what people
// changed: create-only properties are left out (personBody), and an email
// or phone written with add is added to the person's list, read first,
// when it is not there yet. gone reports a 404 (the link was cleared).
func (a *Adapter) updatePerson(ctx context.Context, c syncd.Contact, sc *schema, id string) (syncd.Result, bool) {
	body, err := personBody(c, sc, a.writeModes(), true)
	if err != nil {
		return syncd.Result{Err: err}, false
	}
	fitBody(body, sc, syncd.RecordContact, "") // upsertPerson warned
	emails, phones := inOrder(c.EarlierEmails, c.Email, c.Properties["email"]), inOrder(c.EarlierPhones, c.Phone, c.Properties["phone"])
	addEmail := len(emails) > 0 && a.writeModes().Of(syncd.RecordContact, "email") == syncd.WriteAdd
	addPhone := len(phones) > 0 && a.writeModes().Of(syncd.RecordContact, "phone") == syncd.WriteAdd
	if addEmail || addPhone {
		var out struct {
			Data struct {
				listedLists
				Deleted bool `json:"is_deleted"`
			} `json:"data"`
		}
		resp, err := a.do(ctx, crm.Call{Op: "persons_get", Method: http.MethodGet, URL: a.url("/persons/"+id, nil)}, &out)
		if r, gone, failed := a.failed(ctx, syncd.RecordContact, c.Key, resp, err); failed {
			return r, gone
		}
		if out.Data.Deleted {
			a.trashed(ctx, c.Key, id, goneDeleted)
			return syncd.Result{Err: errPersonDeleted}, true
		}
		if addEmail {
			addAll(body, "emails", out.Data.Emails, emails, "work")
		}
		if addPhone {
			addAll(body, "phones", out.Data.Phones, phones, "mobile")
		}
	}
	r, gone := a.patch(ctx, "persons", syncd.RecordContact, c.Key, id, body)
	if !gone && refusedEdit(r) {
		if how := a.personGoneHow(ctx, id); how != "" {
			a.trashed(ctx, c.Key, id, how)
			return r, true
		}
	}
	return r, gone
}

// listedLists is a person's lists as Pipedrive answers them.
type listedLists struct {
	Emails []listValue `json:"emails"`
	Phones []listValue `json:"phones"`
}

// listValue is one email or phone of a person's list.
type listValue struct {
	Value   string `json:"value"`
	Primary bool   `json:"primary"`
	Label   string `json:"label,omitempty"`
}

// addTo sets body[field] to the list with v added, unless it holds v: an
// email ignoring case, a phone however a salesperson spaced it (samePhone).
func addTo(body map[string]any, field string, list []listValue, v, label string) {
	if hasValue(list, v) || field == "phones" && slices.ContainsFunc(list, func(x listValue) bool { return samePhone(x.Value, v) }) {
		return
	}
	out := make([]listValue, 0, len(list)+1)
	out = append(out, list...)
	body[field] = append(out, listValue{Value: v, Primary: len(list) == 0, Label: label})
}

// addAll adds each of vs to the list in turn, as addTo does one.
func addAll(body map[string]any, field string, list []listValue, vs []string, label string) {
	for _, v := range vs {
		addTo(body, field, list, v, label)
		if l, ok := body[field].([]listValue); ok {
			list = l
		}
	}
}

// inOrder is the values written to a person's list, in order: those of
// the updates merged before this one (earlier), then this one's (the
// first of its own that is not ""), when it has one.
func inOrder(earlier []string, own ...string) []string {
	if v := cmp.Or(own...); v != "" {
		return append(earlier[:len(earlier):len(earlier)], v)
	}
	return earlier
}

// failed reads the outcome of a call on a known record: failed is false on
// success; gone reports a 404, after which the stale link is cleared
// (unlink).
func (a *Adapter) failed(ctx context.Context, kind syncd.RecordKind, key string, resp *crm.Response, err error) (r syncd.Result, gone, failed bool) {
	if resp != nil && resp.Status == http.StatusNotFound {
		a.unlink(ctx, kind, key)
		return syncd.Result{Err: err}, true, true
	}
	if err != nil {
		return syncd.Result{Err: err}, false, true
	}
	return syncd.Result{}, false, false
}

// samePhone reports whether a and b are one number written alike but for
// spaces, dashes, dots, slashes and brackets ("+45 (22) 22-22.22" and
// +4522222222); anything else (letters, an extension) must match as is.
func samePhone(a, b string) bool {
	da, db := dialled(a), dialled(b)
	return da != "" && da == db
}

// dialled is s without the marks people write between digits, or "" when
// s holds anything else besides digits and a leading +.
func dialled(s string) string {
	var d strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9', r == '+' && i == 0:
			d.WriteRune(r)
		case strings.ContainsRune(" \u00a0-./()", r):
		default:
			return ""
		}
	}
	return d.String()
}

// unlink forgets the link of a record Pipedrive no longer has, and its
// create intent, as HubSpot's adapter does: the linked record was made, so
// no earlier create of it can still be on its way, and an intent left
// behind (the daemon killed between the link's write and the intent's
// clearing) would make the record's next create look back to it, in
// doubt for good once over 2,000 records were added since.
func (a *Adapter) unlink(ctx context.Context, kind syncd.RecordKind, key string) {
	lctx, cancel := crm.Recording(ctx)
	defer cancel()
	_ = a.opts.Links.SetLink(lctx, Name, kind, key, "")
	a.clearIntent(ctx, kind, key)
}
