package pipedrive

import (
	"context"
	"errors"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// A person deleted in Pipedrive stays in its trash for 30 days, and
// Pipedrive refuses edits of it, as of a deleted deal [pd-mig][pd-cl-del];
// whether a GET of it answers 404 or the person with is_deleted is not
// documented. Either way the person syncd linked is gone for the lead:
// its link is cleared and the person written again (found by its email or
// phone, else made), where the refused update was dead-lettered.

// errPersonDeleted is the result of an update of a person found in
// Pipedrive's trash before anything was sent.
var errPersonDeleted = &syncd.CRMError{Class: syncd.ErrRetry, Code: "PERSON_DELETED",
	Message: "the person was deleted in Pipedrive"}

// refusedEdit reports an answer that may be Pipedrive refusing the edit of
// a deleted record: a 4xx but 401 (the token) and 429 (a limit).
func refusedEdit(r syncd.Result) bool {
	var ce *syncd.CRMError
	return errors.As(r.Err, &ce) && ce.Status >= 400 && ce.Status < 500 &&
		ce.Status != http.StatusUnauthorized && ce.Status != http.StatusTooManyRequests
}

// Words for how a person syncd linked is gone from Pipedrive. A merged
// person is removed and answers as one deleted for good does (404; the
// contract documents no redirect to the survivor), while one in the trash
// answers with is_deleted: only the latter is surely a deletion.
const (
	goneDeleted       = "deleted in Pipedrive"
	goneMergedDeleted = "merged into another person or deleted in Pipedrive"
)

// personGoneHow reads person id and says how Pipedrive no longer has it
// (goneDeleted, goneMergedDeleted); "" when it has it, or a read failed
// otherwise.
func (a *Adapter) personGoneHow(ctx context.Context, id string) string {
	var out struct {
		Data struct {
			Deleted bool `json:"is_deleted"`
		} `json:"data"`
	}
	resp, err := a.do(ctx, crm.Call{Op: "persons_get", Method: http.MethodGet, URL: a.url("/persons/"+id, nil)}, &out)
	switch {
	case resp != nil && (resp.Status == http.StatusNotFound || resp.Status == http.StatusGone):
		return goneMergedDeleted
	case err == nil && out.Data.Deleted:
		return goneDeleted
	}
	return ""
}

// trashed clears the link of a person found gone from Pipedrive (key's,
// id; how as personGoneHow says) and says so in the log, by id.
func (a *Adapter) trashed(ctx context.Context, key, id, how string) {
	a.unlink(ctx, syncd.RecordContact, key)
	a.opts.Logger.Warn().Str("person_id", id).
		Msg("pipedrive: the lead's person was " + how + ": it is written again (found by its email or phone, else made)")
}
