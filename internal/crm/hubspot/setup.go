package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Setupper = (*Adapter)(nil)

// Group is the property group syncd's own properties are created in.
const Group = "syncd"

// fieldTypeOf is the fieldType a created property of type t gets.
var fieldTypeOf = map[string]string{
	"string": "text", "number": "number", "date": "date", "datetime": "date",
	"enumeration": "select", "bool": "booleancheckbox",
}

// Setup creates syncd's own properties (syncd_*, and the key properties)
// that are missing, in the group "syncd" of their object, the keys with
// unique values. Other missing properties are reported, not created: they
// are the account owner's; those of another type than the mappings declare
// are "cannot fix", as are syncd's own; a pipeline or deal stage written
// that the account lacks is "cannot create" (setupPipelines). It is
// idempotent; dry only says what it would do.
func (a *Adapter) Setup(ctx context.Context, specs []syncd.FieldSpec, dry bool) ([]syncd.Action, error) {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return nil, err
	}
	var out []syncd.Action
	props := map[string]map[string]property{}
	groupOK := map[string]bool{}
	for _, s := range a.withKeys(specs) {
		obj := objectOf(s.Kind)
		if props[obj] == nil {
			ps, err := a.properties(ctx, obj)
			if err != nil {
				return out, fmt.Errorf("list %s properties: %w", obj, err)
			}
			props[obj] = ps
		}
		own := strings.HasPrefix(s.Name, "syncd_") || s.Unique
		if own {
			a.lookUpMissing(ctx, s, props[obj])
		}
		if p, ok := props[obj][s.Name]; ok {
			switch act := existing(obj, s, p); {
			case act.What == "exists" && optionsMissing(obj, s, p) != "":
				// Setup adds no option (the contract names no property
				// update): before, it said "exists" and "done" while crm
				// check named the option and HubSpot refused each lead
				// that carried it.
				out = append(out, syncd.Action{Object: obj, Name: s.Name, What: "cannot fix", Detail: optionsMissing(obj, s, p)})
			case own:
				out = append(out, act)
			case readOnly(p):
				// The account's own property, none of setup's to change,
				// but setup is not done: HubSpot refuses every lead's
				// value, as crm check says.
				out = append(out, syncd.Action{Object: obj, Name: s.Name, What: "cannot fix", Detail: readOnlyDetail(s)})
			case otherType(s, p):
				out = append(out, syncd.Action{Object: obj, Name: s.Name, What: "cannot fix", Detail: typeDetail(s, p)})
			}
			continue
		}
		if !own {
			detail := fmt.Sprintf("not a syncd_* property: create it on %s in HubSpot, or take it out of the mappings (%s)", obj, s.Lines())
			if near := misspelt(s.Name, props[obj]); near != "" {
				detail = "not a syncd_* property: " + misspeltFix(s, obj, near)
			}
			out = append(out, syncd.Action{Object: obj, Name: s.Name, What: "cannot create", Detail: detail})
			continue
		}
		if !groupOK[obj] {
			act, err := a.ensureGroup(ctx, obj, dry)
			if err != nil {
				return out, err
			}
			if act != nil {
				out = append(out, *act)
			}
			groupOK[obj] = true
		}
		if dry {
			out = append(out, syncd.Action{Object: obj, Name: s.Name, What: "would create", Detail: describe(s)})
			continue
		}
		act, err := a.createProperty(ctx, obj, s)
		if err != nil {
			return out, err
		}
		out = append(out, act)
	}
	return append(out, a.setupPipelines(ctx, specs)...), nil
}

func typeOf(s syncd.FieldSpec) string {
	if s.Type == "" {
		return "string"
	}
	return s.Type
}

func describe(s syncd.FieldSpec) string {
	d := typeOf(s) + " in group " + Group
	if s.Unique {
		d += ", unique values"
	}
	return d
}

// existing says how an existing property compares with what is wanted.
func existing(obj string, s syncd.FieldSpec, p property) syncd.Action {
	act := syncd.Action{Object: obj, Name: s.Name, What: "exists", Detail: p.Type}
	switch {
	case p.Archived:
		act.What, act.Detail = "cannot fix", "archived: restore it in HubSpot (Settings > Properties > Archived properties)"
	case s.Unique && !p.HasUniqueValue:
		act.What, act.Detail = "cannot fix", "exists without unique values, which cannot be turned on: archive or rename it, then run setup again"
	case readOnly(p):
		act.What, act.Detail = "cannot fix", readOnlyDetail(s)
	case otherType(s, p):
		act.What, act.Detail = "cannot fix", typeDetail(s, p)
	}
	return act
}

// otherType reports whether p is of another type than s declares.
func otherType(s syncd.FieldSpec, p property) bool {
	return s.Type != "" && s.Type != p.Type
}

// readOnly reports whether HubSpot refuses every value written to p
// (calculated, or HubSpot's own).
func readOnly(p property) bool { return p.Calculated || p.ModificationMetadata.ReadOnlyValue }

// readOnlyDetail is crm setup's DETAIL of a read-only property s names.
func readOnlyDetail(s syncd.FieldSpec) string {
	return "read-only (calculated or HubSpot-owned): HubSpot refuses every value; take it out of the mappings (" + s.Lines() + ")"
}

// typeDetail is crm setup's DETAIL of a property p of another type than s
// declares: both types, where, and what to do.
func typeDetail(s syncd.FieldSpec, p property) string {
	return fmt.Sprintf("exists as %s, the mappings declare %s (%s): %s", p.Type, s.Type, s.Where, typeFix(s, p))
}

// ensureGroup creates the syncd group of obj unless it exists; dry only
// says it would.
func (a *Adapter) ensureGroup(ctx context.Context, obj string, dry bool) (*syncd.Action, error) {
	var ans struct {
		Results []struct {
			Name string `json:"name"`
		} `json:"results"`
	}
	if _, err := a.get(ctx, "groups_list", http.MethodGet, "/crm/v3/properties/"+obj+"/groups", nil, &ans); err != nil {
		return nil, fmt.Errorf("list %s groups: %w", obj, err)
	}
	for _, g := range ans.Results {
		if g.Name == Group {
			return nil, nil
		}
	}
	if dry {
		return &syncd.Action{Object: obj, Name: Group, What: "would create", Detail: "property group"}, nil
	}
	status, err := a.get(ctx, "groups_create", http.MethodPost, "/crm/v3/properties/"+obj+"/groups",
		map[string]any{"name": Group, "label": "syncd"}, nil)
	if status == http.StatusConflict {
		return nil, nil // made meanwhile: the same group
	}
	if err != nil {
		return nil, fmt.Errorf("create %s group %s: %w", obj, Group, err)
	}
	return &syncd.Action{Object: obj, Name: Group, What: "created", Detail: "property group"}, nil
}

// createProperty creates one property. A 409 (or any answer, since the v3
// answer to a taken name is unconfirmed) is followed by a read: if the
// property is there, it is compared rather than created.
func (a *Adapter) createProperty(ctx context.Context, obj string, s syncd.FieldSpec) (syncd.Action, error) {
	body := map[string]any{"name": s.Name, "label": label(s), "type": typeOf(s), "fieldType": fieldTypeOf[typeOf(s)],
		"groupName": Group, "hasUniqueValue": s.Unique, "description": "Written by syncd (" + s.Where + ")"}
	if len(s.Options) > 0 {
		var opts []map[string]any
		for i, o := range s.Options {
			opts = append(opts, map[string]any{"label": o, "value": o, "displayOrder": i})
		}
		body["options"] = opts
	}
	_, err := a.get(ctx, "properties_create", http.MethodPost, "/crm/v3/properties/"+obj, body, nil)
	if err == nil {
		return syncd.Action{Object: obj, Name: s.Name, What: "created", Detail: describe(s)}, nil
	}
	var p property
	if _, gerr := a.get(ctx, "properties_get", http.MethodGet, "/crm/v3/properties/"+obj+"/"+s.Name, nil, &p); gerr == nil && p.Name == s.Name {
		return existing(obj, s, p), nil
	}
	return syncd.Action{}, fmt.Errorf("create %s property %s: %w", obj, s.Name, err)
}

// label is a created property's label: the declared one, else its name
// in words ("syncd_enquiry_at" -> "syncd enquiry at").
func label(s syncd.FieldSpec) string {
	if s.Label != "" {
		return s.Label
	}
	return strings.ReplaceAll(s.Name, "_", " ")
}

// optionsMissing is crm setup's DETAIL of an enumeration p that lacks an
// option the mappings declare or write into it (crm check's rows for
// them, problem and fix), "" when it lacks none.
func optionsMissing(obj string, s syncd.FieldSpec, p property) string {
	if p.Type != "enumeration" || accountOptions(p.Name) {
		return ""
	}
	var parts []string
	for _, f := range append(checkDeclaredOptions(obj, s, p), checkValues(s, p)...) {
		if f.Severity == syncd.SevError {
			parts = append(parts, f.Problem+": "+f.Fix)
		}
	}
	return strings.Join(parts, "; ")
}
