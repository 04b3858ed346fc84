package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeHidden is the CRMError.Code of a deal's pipeline or stage that
// Pipedrive no longer shows the token's user, a regular one: an admin
// restricted its pipeline to a visibility group the user is not in.
const codeHidden = "PIPELINE_HIDDEN"

// codePipelineGone and codeStageGone are the CRMError.Codes of a pipeline
// or stage the mappings write as a constant that the pipelines and stages
// Pipedrive shows the token's user, an admin's or one it could not read,
// no longer hold: deleted or renamed in Pipedrive since the check passed.
const (
	codePipelineGone = "PIPELINE_GONE"
	codeStageGone    = "STAGE_GONE"
)

// gone turns r, whose error ce names the pipeline or stage (what) props
// write in property that the pipelines and stages as read again do not
// hold, into the account's configuration error when the mappings write
// that value as a constant: every lead's deal is refused alike, and the
// mappings are right but for the account, which changed. A value the
// mappings take from the payload (and write as no constant) is the lead's
// own: a dead letter of its own, as payloadOption makes an option, where
// one lead's pipeline paused every lead's sync. One the mappings as
// loaded no longer write (they write other constants) is
// syncd.CodeOptionNotWritten; one they no longer write at all leaves r as
// it is.
func (a *Adapter) gone(what, property string, props map[string]string, ce *syncd.CRMError, r syncd.Result) syncd.Result {
	v := props[property]
	spec, ok := (*a.fields.Load())[syncd.FieldRef{Kind: syncd.RecordDeal, Name: property}]
	switch {
	case v == "" || !ok:
		return r
	case !slices.Contains(spec.Values, v) && spec.Dynamic && ce.Class == syncd.ErrConfig:
		own := *ce
		own.Class = syncd.ErrPermanent
		return syncd.Result{ID: r.ID, Err: &own}
	case !slices.Contains(spec.Values, v) && len(spec.Values) > 0 && ce.Class == syncd.ErrConfig:
		// Mapped before the mappings changed (another stage written, as
		// the pause said, and reloaded): sent again, it is refused again.
		stale := *ce
		stale.Code, stale.Plain = syncd.CodeOptionNotWritten, true
		stale.Message = fmt.Sprintf("no %s %q in Pipedrive, which the mappings as loaded no longer write (they write %s: %s): "+
			"the lead was mapped before they changed", what, v, strings.Join(spec.Values, ", "), strings.Join(spec.PlacesOfValues(), ", "))
		return syncd.Result{ID: r.ID, Err: &stale}
	case !slices.Contains(spec.Values, v):
		return r
	}
	code, made := codePipelineGone, "make a pipeline of that name again in Pipedrive"
	if what == "stage" {
		code, made = codeStageGone, "add a stage of that name again to its pipeline in Pipedrive"
	}
	where := strings.Join(spec.PlacesOf(v), ", ")
	ge := &syncd.CRMError{Status: ce.Status, Class: syncd.ErrConfig, Code: code, Property: property, Plain: true}
	if strings.HasSuffix(property, "_id") { // an id stays through a rename: deleted
		ge.Message = fmt.Sprintf("the %s with id %s that %s writes is no longer in Pipedrive (deleted there since syncd read its pipelines): "+
			"make one again in Pipedrive and write its id in %s (Pipedrive gives it a new one), or write another %s there", what, v, where, where, what)
		return syncd.Result{ID: r.ID, Err: ge}
	}
	ge.Message = fmt.Sprintf("the %s %q that %s writes is no longer in Pipedrive (deleted or renamed there since syncd read its pipelines): "+
		"if it was renamed, write its new name in %s and reload the daemon (systemctl reload syncd); if it was deleted, %s, "+
		"or write another %s there", what, v, where, where, made, what)
	return syncd.Result{ID: r.ID, Err: ge}
}

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
		return a.gone(what, property, props, ce, r)
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

// hiddenDeal says, of r, Pipedrive's 403 to the update of deal id, that
// the deal may be in a pipeline the token's user, a regular one, may not
// see: Pipedrive answers so the update of such a deal [pd-cl-vis], in
// words it does not document, as it does an edit the user's permission
// set does not allow. It stays a refused permission (the adapter pauses:
// every deal there alike); for an admin's token, or when the user cannot
// be read, r is left as it is.
func (a *Adapter) hiddenDeal(ctx context.Context, id string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Status != http.StatusForbidden || ce.Class != syncd.ErrAuth {
		return r
	}
	m, err := a.readMe(ctx)
	if admin, known := m.admin(); err != nil || admin || !known {
		return r
	}
	e := *ce
	e.Message = fmt.Sprintf("Pipedrive refused the update of deal %s (%s): the token's user is not an admin, and Pipedrive refuses it "+
		"a deal in a pipeline its visibility group may not see as it does an edit its permission set does not allow: let the user see "+
		"the deal's pipeline (Settings > Manage users > Visibility groups, the group's pipelines) and edit deals, or use an admin user's API token",
		id, ce.Message)
	return syncd.Result{ID: r.ID, Err: &e}
}
