package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertContacts writes each contact as a person: updated by its linked
// id, else found by exact search on email (or phone), else created under
// the guard (guard.go). A key repeated in one call (a person's pending
// updates, sent together) is written once, as they merge
// (syncd.MergeContacts); repeats share its Result.
func (a *Adapter) UpsertContacts(ctx context.Context, contacts []syncd.Contact) []syncd.Result {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return crm.Refused(len(contacts), err)
	}
	return upsertEach(a, contacts, func(c syncd.Contact) string { return c.Key },
		func(cs []syncd.Contact) syncd.Result {
			c := syncd.MergeContacts(cs, a.writeModes())
			r := a.fresh(ctx, syncd.RecordContact, c.Key, c.Properties, func() syncd.Result {
				return a.payloadOption(syncd.RecordContact, c.Properties, a.upsertPerson(ctx, c))
			})
			return a.visibilityRefused(syncd.RecordContact, c.Properties, a.systemConstant(syncd.RecordContact, c.Properties, r))
		})
}

// idOnly is the part of a created record's answer the adapter reads: its
// id and, for a deal, the pipeline Pipedrive put it in.
type idOnly struct {
	Data struct {
		ID         int64 `json:"id"`
		PipelineID int64 `json:"pipeline_id"`
	} `json:"data"`
}

func (a *Adapter) upsertPerson(ctx context.Context, c syncd.Contact) syncd.Result {
	term, field := c.Email, "email"
	if term == "" {
		term, field = c.Phone, "phone"
	}
	if c.Key == "" || term == "" {
		return syncd.Result{Err: &syncd.CRMError{Class: syncd.ErrPermanent, Code: "NO_IDENTITY", Message: "contact has neither email nor phone"}}
	}
	sc, err := a.schemaFor(ctx)
	if err != nil {
		return syncd.Result{Err: err}
	}
	body, err := personBody(c, sc, a.writeModes(), false)
	if err != nil {
		return syncd.Result{Err: a.accountsType(err, sc, syncd.RecordContact, c.Properties)}
	}
	a.warnCut(fitBody(body, sc, syncd.RecordContact, ""), syncd.RecordContact, "") // updatePerson's body holds no more
	id, err := a.opts.Links.Link(ctx, Name, syncd.RecordContact, c.Key)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read link: %v", err))}
	}
	update := func(ctx context.Context, id string) (syncd.Result, bool) { return a.updatePerson(ctx, c, sc, id) }
	if id != "" {
		if r, gone := update(ctx, id); !gone {
			return r
		}
	}
	id, err = a.searchPerson(ctx, term, field)
	if err != nil {
		return syncd.Result{Err: err}
	}
	if id != "" {
		r, _ := update(ctx, id)
		return a.confirmed(ctx, syncd.RecordContact, c.Key, r)
	}
	return a.guarded(ctx, "persons", syncd.RecordContact, c.Key, body, update, a.recheckPerson(c))
}

// recheckPerson looks for the person among the most recently added ones,
// by email, or by phone when it has no email.
func (a *Adapter) recheckPerson(c syncd.Contact) recheck {
	return func(ctx context.Context, sent time.Time) (string, bool, error) {
		return a.recent(ctx, "persons", sent, func(r listed) bool {
			if c.Email != "" {
				return hasValue(r.Emails, c.Email)
			}
			return hasValue(r.Phones, c.Phone)
		})
	}
}

// patch updates a record by id (nothing is sent when body is empty) and
// links it. gone reports a 404: the link was stale and has been cleared.
// A deal's answer is checked for the pipeline Pipedrive put it in
// (landed).
func (a *Adapter) patch(ctx context.Context, object string, kind syncd.RecordKind, key, id string, body map[string]any) (r syncd.Result, gone bool) {
	var out idOnly
	if len(body) > 0 {
		resp, err := a.do(ctx, crm.Call{Op: object + "_update", Method: http.MethodPatch, URL: a.url("/"+object+"/"+id, nil), Body: body}, nil)
		if r, gone, failed := a.failed(ctx, kind, key, resp, err); failed {
			return r, gone
		}
		_ = crm.DecodeJSON(resp, &out) // only the pipeline is read: an odd answer is still a success
	}
	a.link(ctx, kind, key, id)
	if kind == syncd.RecordDeal {
		return a.landed(ctx, body, id, out.Data.PipelineID), false
	}
	return syncd.Result{ID: id}, false
}

// create POSTs a new record and links it at once. ctx carries the send
// hook that records the intent (stamp).
func (a *Adapter) create(ctx context.Context, object string, kind syncd.RecordKind, key string, body map[string]any) syncd.Result {
	var out idOnly
	resp, err := a.do(ctx, crm.Call{Op: object + "_create", Method: http.MethodPost, URL: a.url("/"+object, nil), Body: body}, &out)
	if err != nil {
		if resp != nil && resp.Status >= 400 && resp.Status < 500 {
			a.clearIntent(ctx, kind, key) // the CRM answered: nothing was created
		}
		return syncd.Result{Err: err}
	}
	if out.Data.ID == 0 {
		return syncd.Result{Err: crm.RetryErr(object + " create: answer without an id")}
	}
	id := idString(out.Data.ID)
	if a.link(ctx, kind, key, id) {
		// Unrecorded, the id is found again by the intent's look at
		// the lists: cleared, the next write might create a second.
		a.clearIntent(ctx, kind, key)
	}
	if kind == syncd.RecordDeal {
		return a.landed(ctx, body, id, out.Data.PipelineID)
	}
	return syncd.Result{ID: id}
}

// link records id for key and reports whether it did, even when ctx
// ended as Pipedrive answered (crm.Recording).
func (a *Adapter) link(ctx context.Context, kind syncd.RecordKind, key, id string) bool {
	ctx, cancel := crm.Recording(ctx)
	defer cancel()
	if err := a.opts.Links.SetLink(ctx, Name, kind, key, id); err != nil {
		a.opts.Logger.Warn().Err(err).Str("kind", string(kind)).Msg("pipedrive: record link")
		return false
	}
	return true
}

// searchPerson returns the lowest person id whose field exactly matches
// term, or "": of persons made twice by hand, the oldest gets the lead,
// every time, and the log says so (by count and id, not by term).
func (a *Adapter) searchPerson(ctx context.Context, term, field string) (string, error) {
	ids, _, err := a.searchPersons(ctx, term, field)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	id := strconv.FormatInt(slices.Min(ids), 10)
	if len(ids) > 1 {
		a.opts.Logger.Warn().Int("persons", len(ids)).Str("person_id", id).Str("field", field).
			Msg("pipedrive: several persons have the contact's " + field + "; the oldest gets the lead (merge them in Pipedrive)")
	}
	return id, nil
}

// searchPages is how many pages of a search searchPersons reads at most
// (searchPageSize persons each), each a search of the search budget.
const searchPages, searchPageSize = 20, 100

// searchPersons returns the ids of the persons whose field exactly
// matches term, from every page of the search (at most searchPages: more
// tells that some were left unread). Pipedrive pages its search
// (additional_data.next_cursor); the first page alone left out the
// persons past it, which an erasure then left holding the subject's
// email. A second page is read only when more than a page holds the term.
func (a *Adapter) searchPersons(ctx context.Context, term, field string) (ids []int64, more bool, err error) {
	q := url.Values{"term": {term}, "fields": {field}, "exact_match": {"true"}, "limit": {strconv.Itoa(searchPageSize)}}
	for range searchPages {
		var out struct {
			Data struct {
				Items []struct {
					Item struct {
						ID int64 `json:"id"`
					} `json:"item"`
				} `json:"items"`
			} `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: "persons_search", Budget: searchBudget, Method: http.MethodGet, URL: a.url("/persons/search", q)}, &out); err != nil {
			return nil, false, err
		}
		for _, it := range out.Data.Items {
			if it.Item.ID != 0 && !slices.Contains(ids, it.Item.ID) {
				ids = append(ids, it.Item.ID)
			}
		}
		next := out.AdditionalData.NextCursor
		if next == nil || *next == "" || len(out.Data.Items) == 0 {
			return ids, false, nil
		}
		q.Set("cursor", *next)
	}
	return ids, true, nil
}
