package pipedrive

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeSystemValue is the CRMError.Code of a constant the mappings write
// into a system field (visible_to, org_id, probability, value) that
// Pipedrive cannot take: every lead's record is refused alike.
const codeSystemValue = "SYSTEM_VALUE"

// visibilities are the values Pipedrive takes in a record's visible_to:
// 1 and 3 on every plan, 5 and 7 on plans with visibility groups
// [pd-vis-values].
var visibilities = []string{"1", "3", "5", "7"}

// systemProblem says what is wrong with v, written into the system field
// name of a record of kind k, and what to write instead in where ("" when
// Pipedrive can take it, or when another check judges it: owner_id by the
// users).
func systemProblem(k syncd.RecordKind, name, v, where string) (problem, fix string) {
	ints := personInts
	if k == syncd.RecordDeal {
		ints = dealInts
	}
	switch {
	case name == "visible_to" && !slices.Contains(visibilities, v):
		return fmt.Sprintf("%s visible_to %q is not a visibility Pipedrive takes (1, 3, 5 or 7)", noun(k), v),
			"write 1 (owner only), 3, 5 or 7 (5 and 7 only on plans with visibility groups) in " + where +
				", or leave visible_to out there: Pipedrive then gives the record the default visibility of the token's user"
	case k == syncd.RecordDeal && name == "value":
		if _, err := number(v); err != nil {
			return fmt.Sprintf("deal value %q is not a number", v), `write the amount as a number ("450000") in ` + where + ", and its currency in the deal's currency"
		}
	case (name == "pipeline_id" || name == "stage_id") && k == syncd.RecordDeal:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			by := strings.TrimSuffix(name, "_id")
			return fmt.Sprintf("deal %s %q is not an id", name, v),
				fmt.Sprintf("write it as %s (by name: %s: {const: %s}) in %s, or the %s's id as %s", by, by, v, where, by, name)
		}
	case ints[name] && name != "owner_id":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("%s %s %q is not an id", noun(k), name, v), "write the number Pipedrive shows for it in " + where
		}
	}
	return "", ""
}

// visibility refuses, before it is sent, a record's visible_to (property
// k) that is none of the values Pipedrive takes: Pipedrive would answer it
// 403 [pd-vis-403], which pauses every lead's sync as a permission
// refused, for one lead's value. A constant's refusal is the account's
// (systemConstant), a payload's the lead's own.
func visibility(kind syncd.RecordKind, k string, n int64) error {
	if k != "visible_to" || slices.Contains(visibilities, strconv.FormatInt(n, 10)) {
		return nil
	}
	return permanent(k, fmt.Sprintf("%s visible_to %d: not a visibility Pipedrive takes (1, 3, 5 or 7)", noun(kind), n))
}

// checkSystem checks the constants the mappings write into system fields
// (systemProblem): one Pipedrive cannot take refuses every lead, which
// the check called ready before.
func checkSystem(specs []syncd.FieldSpec) []syncd.Finding {
	var out []syncd.Finding
	for _, s := range specs {
		if !system(s.Kind, s.Name) {
			continue
		}
		for _, v := range s.Values {
			if problem, fix := systemProblem(s.Kind, s.Name, v, s.WhereOf(v)); problem != "" {
				out = append(out, finding(s, fix, "%s", problem))
			}
		}
	}
	return out
}

// systemConstant turns r, syncd's own refusal of a record whose system
// field holds a value Pipedrive cannot take, into the account's
// configuration error when the mappings write that value as a constant:
// every lead is refused alike, and was dead-lettered each. The syncer
// pauses, naming it, until `syncd crm check` (checkSystem) passes. A value
// from the payload stays the lead's own.
func (a *Adapter) systemConstant(kind syncd.RecordKind, props map[string]string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Status != 0 || !system(kind, ce.Property) {
		return r
	}
	v := props[ce.Property]
	spec, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: ce.Property}]
	if !ok || !slices.Contains(spec.Values, v) {
		return r
	}
	problem, fix := systemProblem(kind, ce.Property, v, spec.WhereOf(v))
	if problem == "" {
		problem, fix = ce.Message, "correct it in "+spec.WhereOf(v)
	}
	return syncd.Result{ID: r.ID, Err: &syncd.CRMError{Class: syncd.ErrConfig, Code: codeSystemValue, Property: ce.Property, Plain: true,
		Message: fmt.Sprintf("%s, and the mappings write it for every lead, so every lead's %s is refused alike: %s; "+
			"then reload the daemon (systemctl reload syncd) and map the waiting leads again (syncd replay)", problem, noun(kind), fix)}}
}

// visibilityRefused says, of r, Pipedrive's 403 to a record written with
// visible_to 5 or 7, that the company's plan may lack visibility groups:
// Pipedrive answers a visibility it does not take with 403 [pd-vis-403],
// as it does a permission the token's user lacks, and 5 and 7 exist only
// with visibility groups [pd-vis-values]. It stays a refused permission
// (the adapter pauses: every record with it alike), its reason naming the
// value and where the mappings write it.
func (a *Adapter) visibilityRefused(kind syncd.RecordKind, props map[string]string, r syncd.Result) syncd.Result {
	var ce *syncd.CRMError
	v := props["visible_to"]
	if !errors.As(r.Err, &ce) || ce.Status != http.StatusForbidden || ce.Class != syncd.ErrAuth || (v != "5" && v != "7") {
		return r
	}
	where := "the mappings"
	if spec, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: "visible_to"}]; ok {
		where = spec.WhereOf(v)
	}
	e := *ce
	e.Message = fmt.Sprintf("Pipedrive refused the %s (%s), written with visible_to %s (%s): Pipedrive refuses so a visibility the company's plan "+
		"does not offer (5 and 7 need visibility groups; 1 and 3 are on every plan) as it does an edit the user's permission set does not allow: "+
		"write 1 or 3 there, or leave visible_to out (the token user's default visibility), then reload the daemon (systemctl reload syncd) "+
		"and map the waiting leads again (syncd replay); if the plan has visibility groups, let the token's user set that visibility, "+
		"or use an admin user's API token",
		noun(kind), ce.Message, v, where)
	return syncd.Result{ID: r.ID, Err: &e}
}
