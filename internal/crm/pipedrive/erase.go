package pipedrive

import (
	"context"
	"errors"
	"fmt"
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
// it purges them. A record already gone (404) counts as erased. A person
// holding an email or phone that is not one of person's (notShared) is
// left, with its other deals: only the deals given, syncd's for the
// person, are deleted.
func (a *Adapter) Erase(ctx context.Context, contactID string, dealIDs []string, person syncd.PersonCheck) error {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return err
	}
	deals := slices.Clone(dealIDs)
	var left error
	if p, err := strconv.ParseInt(contactID, 10, 64); err == nil {
		left = a.notShared(ctx, contactID, person)
		var ce *syncd.CRMError
		if left != nil && !(errors.As(left, &ce) && ce.Code == syncd.CodeSharedContact) {
			return left
		}
		if left == nil {
			more, err := a.personDeals(ctx, p)
			if err != nil {
				return err
			}
			deals = append(deals, more...)
		}
	}
	slices.Sort(deals)
	for _, id := range slices.Compact(deals) {
		if err := a.remove(ctx, "deals_delete", "/deals/"+id); err != nil {
			return err
		}
	}
	if contactID == "" || left != nil {
		return left
	}
	return a.remove(ctx, "persons_delete", "/persons/"+contactID)
}

var _ syncd.HolderEraser = (*Adapter)(nil)

// EraseHolders erases, as Erase does with their deals, every person that
// holds key now, found by exact search on email (or phone: a key without
// "@"), as syncd finds persons to update, every page of it. Pipedrive keeps no email unique,
// so there may be several; a person added in the last seconds may be
// missing from the search. A person holding an email or phone that is not
// one of person's is left alone (notShared): err then joins the
// CodeSharedContact error of each.
func (a *Adapter) EraseHolders(ctx context.Context, key string, person syncd.PersonKeys) (bool, error) {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return true, err
	}
	field := "phone"
	if strings.Contains(key, "@") {
		field = "email"
	}
	var left []error
	seen := map[int64]bool{}
	for {
		ids, more, err := a.searchPersons(ctx, key, field)
		if err != nil {
			return true, err
		}
		erased := 0
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			erased++
			err := a.Erase(ctx, strconv.FormatInt(id, 10), nil, person)
			var ce *syncd.CRMError
			if errors.As(err, &ce) && ce.Code == syncd.CodeSharedContact {
				left = append(left, err)
				continue
			}
			if err != nil {
				return true, err
			}
		}
		// Past the pages searchPersons reads, search again: those erased
		// are no longer found, so the rest come up.
		if !more || erased == 0 {
			break
		}
	}
	return true, errors.Join(left...) // one CodeSharedContact error per person left
}

var _ syncd.SharedChecker = (*Adapter)(nil)

// CheckShared reads person contactID and returns its CodeSharedContact
// error when it holds an email or phone that is not one of person's
// (notShared): what Erase of it would leave.
func (a *Adapter) CheckShared(ctx context.Context, contactID string, person syncd.PersonCheck) error {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return err
	}
	return a.notShared(ctx, contactID, person)
}

// notShared reads person id and refuses, as syncd.CodeSharedContact, one
// that holds an email or phone that is not one of person's (any, when
// person is nil: an erasure queued before syncd kept them): Pipedrive
// keeps no trace of a merge, so a person a salesperson merged the
// subject's into (or another's into the subject's) is told only by what
// it holds, and deleting it would delete the other person's data too. A
// person gone (404, or in the trash) is nil: there is nothing to delete.
func (a *Adapter) notShared(ctx context.Context, id string, person syncd.PersonCheck) error {
	if person == nil {
		person = syncd.PersonKeys{}
	}
	var out struct {
		Data struct {
			listedLists
			Deleted bool `json:"is_deleted"`
		} `json:"data"`
	}
	resp, err := a.do(ctx, crm.Call{Op: "persons_get", Method: http.MethodGet, URL: a.url("/persons/"+id, nil)}, &out)
	if resp != nil && (resp.Status == http.StatusNotFound || resp.Status == http.StatusGone) {
		return nil
	}
	if err != nil || out.Data.Deleted {
		return err
	}
	emails, phones := 0, 0
	for _, e := range out.Data.Emails {
		if strings.TrimSpace(e.Value) != "" && !person.HasEmail(e.Value) {
			emails++
		}
	}
	for _, p := range out.Data.Phones {
		if strings.TrimSpace(p.Value) != "" && !person.HasPhone(p.Value) {
			phones++
		}
	}
	if emails+phones == 0 {
		return nil
	}
	return &syncd.CRMError{Class: syncd.ErrPermanent, Code: syncd.CodeSharedContact, Message: fmt.Sprintf(
		"person %s holds %s and %s that syncd does not know as the person's: not deleted, as that would delete someone "+
			"else's data too (Pipedrive keeps no trace of a merge: a salesperson may have merged the person with another); "+
			"in Pipedrive remove the person's data from it by hand (their email, phone, name, notes and deals), or delete it "+
			"there if all of it is theirs (a number of theirs syncd did not know: run syncd erase again with -phone too)",
		id, several(emails, "email"), several(phones, "phone"))}
}

// several is "1 email", "2 emails".
func several(n int, what string) string {
	if n != 1 {
		what += "s"
	}
	return fmt.Sprintf("%d %s", n, what)
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
