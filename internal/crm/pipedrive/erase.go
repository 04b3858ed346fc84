package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Eraser = (*Adapter)(nil)

// Erase deletes the person's deals (those given and any other the person
// has: DELETE /api/v2/deals/{id}), then the person (DELETE
// /api/v2/persons/{id}). Pipedrive keeps deleted records for 30 days before
// it purges them. A record already gone (404) counts as erased.
func (a *Adapter) Erase(ctx context.Context, contactID string, dealIDs []string) error {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return err
	}
	deals := slices.Clone(dealIDs)
	if person, err := strconv.ParseInt(contactID, 10, 64); err == nil {
		more, err := a.personDeals(ctx, person)
		if err != nil {
			return err
		}
		deals = append(deals, more...)
	}
	slices.Sort(deals)
	for _, id := range slices.Compact(deals) {
		if err := a.remove(ctx, "deals_delete", "/deals/"+id); err != nil {
			return err
		}
	}
	if contactID == "" {
		return nil
	}
	return a.remove(ctx, "persons_delete", "/persons/"+contactID)
}

var _ syncd.HolderEraser = (*Adapter)(nil)

// EraseHolders erases, as Erase does with their deals, every person that
// holds key now, found by exact search on email (or phone: a key without
// "@"), as syncd finds persons to update. Pipedrive keeps no email unique,
// so there may be several; a person added in the last seconds may be
// missing from the search.
func (a *Adapter) EraseHolders(ctx context.Context, key string) (bool, error) {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return true, err
	}
	field := "phone"
	if strings.Contains(key, "@") {
		field = "email"
	}
	ids, err := a.searchPersons(ctx, key, field)
	if err != nil {
		return true, err
	}
	for _, id := range ids {
		if err := a.Erase(ctx, strconv.FormatInt(id, 10), nil); err != nil {
			return true, err
		}
	}
	return true, nil
}

// remove deletes one record; a 404 means it is gone already.
func (a *Adapter) remove(ctx context.Context, op, path string) error {
	_, err := a.do(ctx, crm.Call{Op: op, Method: http.MethodDelete, URL: a.url(path, nil)}, nil)
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// personDeals returns the ids of every deal of person (all pages).
func (a *Adapter) personDeals(ctx context.Context, person int64) ([]string, error) {
	q := url.Values{"person_id": {strconv.FormatInt(person, 10)}, "limit": {"500"}}
	var ids []string
	for page := 0; page < 100; page++ {
		var out struct {
			Data []struct {
				ID int64 `json:"id"`
			} `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: "deals_list", Method: http.MethodGet, URL: a.url("/deals", q)}, &out); err != nil {
			return nil, err
		}
		for _, d := range out.Data {
			ids = append(ids, strconv.FormatInt(d.ID, 10))
		}
		if out.AdditionalData.NextCursor == nil || *out.AdditionalData.NextCursor == "" {
			break
		}
		q.Set("cursor", *out.AdditionalData.NextCursor)
	}
	return ids, nil
}
