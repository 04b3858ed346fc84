package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeHidden is the CRMError.Code of a deal's pipeline or stage that
// Pipedrive no longer shows the token's user, a regular one: an admin
// restricted its pipeline to a visibility group the user is not in.
const codeHidden = "PIPELINE_HIDDEN"

// hiddenPlace turns r, the outcome of writing a deal with props, into a
// configuration error saying why when the token's user is not an admin
// and the deal's pipeline or stage is one Pipedrive does not show it:
// written by name, one the pipelines and stages read again no longer
// hold; by id (stage_id, pipeline_id), one Pipedrive refused (400) and
// the lists no longer hold. Pipedrive refuses a deal in a pipeline the
// user may not see (docs/crm-contracts.md [pd-cl-vis]), in words it does
// not document: every lead's deal alike, so not the lead's fault (a dead
// letter each), nor a pipeline to write anew as `no pipeline named` said.
// Anything else leaves r as it is.
func (a *Adapter) hiddenPlace(ctx context.Context, props map[string]string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) {
		return r
	}
	var what, problem, property string
	switch {
	case ce.Class == syncd.ErrConfig && ce.Code == "FIELD_UNKNOWN" && (ce.Property == "pipeline" || ce.Property == "stage"):
		what, problem, property = ce.Property, ce.Message, ce.Property
	case ce.Class == syncd.ErrPermanent && ce.Status == http.StatusBadRequest:
		what, property = a.unlisted(props)
		if what == "" {
			return r
		}
		problem = fmt.Sprintf("Pipedrive refused the deal (%s): %s %s is in no pipeline it shows the token's user", ce.Message, property, props[property])
	default:
		return r
	}
	said, fix := a.unseen(ctx, what, problem, "write one it shows in the mappings")
	if said == problem { // an admin's token, or not known: nothing hidden
		return r
	}
	return syncd.Result{ID: r.ID, Err: &syncd.CRMError{Status: ce.Status, Class: syncd.ErrConfig, Code: codeHidden, Property: property,
		Message: said + ": " + fix}}
}

// unlisted is the stage_id or pipeline_id props write by id that the
// stages and pipelines as last read do not hold (what names it: "stage"
// or "pipeline"), or "".
func (a *Adapter) unlisted(props map[string]string) (what, property string) {
	sc := a.schema.Load()
	if sc == nil {
		return "", ""
	}
	if id, err := strconv.ParseInt(props["stage_id"], 10, 64); err == nil {
		for _, s := range sc.stages {
			if s.ID == id && !s.Deleted {
				return "", ""
			}
		}
		return "stage", "stage_id"
	}
	if id, err := strconv.ParseInt(props["pipeline_id"], 10, 64); err == nil {
		for _, p := range sc.pipelines {
			if p.ID == id && !p.Deleted {
				return "", ""
			}
		}
		return "pipeline", "pipeline_id"
	}
	return "", ""
}
