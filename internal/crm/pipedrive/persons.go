package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// UpsertContacts writes each contact as a person: updated by its linked
// id, else found by exact search on email (or phone), else created under a
// guard. A key repeated in one call is written once; repeats share its
// Result.
func (a *Adapter) UpsertContacts(ctx context.Context, contacts []syncd.Contact) []syncd.Result {
	return upsertEach(a, contacts, func(c syncd.Contact) string { return c.Key },
		func(c syncd.Contact) syncd.Result { return a.upsertPerson(ctx, c) })
}

type idOnly struct {
	Data struct {
		ID int64 `json:"id"`
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
	body, err := personBody(c, sc)
	if err != nil {
		return syncd.Result{Err: err}
	}
	id, err := a.opts.Links.Link(ctx, Name, syncd.RecordContact, c.Key)
	if err != nil {
		return syncd.Result{Err: crm.RetryErr(fmt.Sprintf("read link: %v", err))}
	}
	if id != "" {
		if r, gone := a.patch(ctx, "persons", syncd.RecordContact, c.Key, id, body); !gone {
			return r
		}
	}
	id, err = a.searchPerson(ctx, term, field)
	if err != nil {
		return syncd.Result{Err: err}
	}
	if id != "" {
		r, _ := a.patch(ctx, "persons", syncd.RecordContact, c.Key, id, body)
		return r
	}
	return a.create(ctx, "persons", syncd.RecordContact, c.Key, body)
}

// patch updates a record by id and links it. gone reports a 404: the link
// was stale and has been cleared.
func (a *Adapter) patch(ctx context.Context, object string, kind syncd.RecordKind, key, id string, body map[string]any) (r syncd.Result, gone bool) {
	resp, err := a.do(ctx, crm.Call{Op: object + "_update", Method: http.MethodPatch, URL: a.url("/"+object+"/"+id, nil), Body: body}, nil)
	if resp != nil && resp.Status == http.StatusNotFound {
		_ = a.opts.Links.SetLink(ctx, Name, kind, key, "")
		return syncd.Result{Err: err}, true
	}
	if err != nil {
		return syncd.Result{Err: err}, false
	}
	a.link(ctx, kind, key, id)
	return syncd.Result{ID: id}, false
}

// create POSTs a new record under the guard and links it at once.
func (a *Adapter) create(ctx context.Context, object string, kind syncd.RecordKind, key string, body map[string]any) syncd.Result {
	if err := a.guard.Begin(ctx, kind, key); err != nil {
		return syncd.Result{Err: err}
	}
	var out idOnly
	resp, err := a.do(ctx, crm.Call{Op: object + "_create", Method: http.MethodPost, URL: a.url("/"+object, nil), Body: body}, &out)
	if err != nil {
		if resp != nil && resp.Status >= 400 && resp.Status < 500 {
			a.guard.Abandon(ctx, kind, key) // the CRM answered: nothing was created
		}
		return syncd.Result{Err: err}
	}
	if out.Data.ID == 0 {
		return syncd.Result{Err: crm.RetryErr(object + " create: answer without an id")}
	}
	id := strconv.FormatInt(out.Data.ID, 10)
	a.link(ctx, kind, key, id)
	return syncd.Result{ID: id}
}

func (a *Adapter) link(ctx context.Context, kind syncd.RecordKind, key, id string) {
	if err := a.opts.Links.SetLink(ctx, Name, kind, key, id); err != nil {
		a.opts.Logger.Warn().Err(err).Str("kind", string(kind)).Msg("pipedrive: record link")
	}
}

// searchPerson returns the lowest person id whose field exactly matches
// term, or "".
func (a *Adapter) searchPerson(ctx context.Context, term, field string) (string, error) {
	var out struct {
		Data struct {
			Items []struct {
				Item struct {
					ID int64 `json:"id"`
				} `json:"item"`
			} `json:"items"`
		} `json:"data"`
	}
	q := url.Values{"term": {term}, "fields": {field}, "exact_match": {"true"}, "limit": {"100"}}
	if _, err := a.do(ctx, crm.Call{Op: "persons_search", Method: http.MethodGet, URL: a.url("/persons/search", q)}, &out); err != nil {
		return "", err
	}
	var best int64
	for _, it := range out.Data.Items {
		if it.Item.ID != 0 && (best == 0 || it.Item.ID < best) {
			best = it.Item.ID
		}
	}
	if best == 0 {
		return "", nil
	}
	return strconv.FormatInt(best, 10), nil
}
