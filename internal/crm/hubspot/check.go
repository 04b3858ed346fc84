package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var _ syncd.Checker = (*Adapter)(nil)

// Check reads the account and reports what the mappings need that is
// missing or wrong: the token and its scopes, every property written (on
// the right object, of a compatible type, writable), unique values of the
// key properties, and the constant values written into enumerations
// (pipeline, deal stage, lifecycle stage, owners). It writes nothing. An
// error means the check itself could not run to the end.
func (a *Adapter) Check(ctx context.Context, specs []syncd.FieldSpec) ([]syncd.Finding, error) {
	if f, ok := a.opts.Pin.Finding(ctx, readFailure); ok { // another account's: nothing else matters
		return []syncd.Finding{f}, nil
	}
	specs = a.withKeys(specs)
	out := a.checkToken(ctx)
	props, obj, err := a.readProps(ctx)
	if err != nil {
		f := fail(obj, "properties", err)
		if f.Object == "token" { // refused: nothing else can be checked or said
			return []syncd.Finding{f}, nil
		}
		return append(out, f), nil
	}
	for _, s := range specs {
		if f, unread := a.lookUpMissing(ctx, s, props[objectOf(s.Kind)]); unread {
			out = append(out, f) // whether it exists is not known
			continue
		}
		out = append(out, checkProperty(s, props[objectOf(s.Kind)], props[otherObject(s.Kind)])...)
	}
	a.props.Store(&props)
	out = append(out, a.checkPipelines(ctx, specs)...)
	out = append(out, a.checkOwners(ctx, specs)...)
	out = append(out, a.checkCurrency(ctx, specs)...)
	out = append(out, a.checkRules(ctx, specs)...)
	if f, ok := crm.ClockFinding(a.http, "HubSpot"); ok {
		out = append(out, f)
	}
	return out, nil
}

// checkToken checks that the token has the scopes needed, when HubSpot
// says which it has.
func (a *Adapter) checkToken(ctx context.Context) (out []syncd.Finding) {
	scopes, err := a.tokenScopes(ctx)
	// The check reads the account's schema, never its records: no read of
	// it shows a missing crm.objects scope, which sending leads needs.
	unseen := fmt.Sprintf("whether it has %s, which sending leads needs and no read below shows, is not known",
		strings.Join(slices.DeleteFunc(slices.Clone(scopesNeeded), func(sc string) bool { return !strings.HasPrefix(sc, "crm.objects.") }), ", "))
	const fix = "make sure the private app has them (Settings > Integrations > Private apps): a missing one pauses the adapter at the first lead, " +
		"naming it in syncd status; the reads below show a missing schema scope as a 403"
	switch {
	case err != nil && syncd.Unread(err): // not HubSpot's answer: the scopes setup needs are not known either
		return []syncd.Finding{{Severity: syncd.SevWarn, Object: "token", Name: "scopes",
			Problem: fmt.Sprintf("the token's scopes could not be read (%s): %s, nor whether it has those `syncd crm setup` needs", plainCause(err), unseen),
			Fix:     "run the check again before `syncd crm setup`; else " + fix}}
	case scopes == nil:
		return []syncd.Finding{{Severity: syncd.SevWarn, Object: "token", Name: "scopes",
			Problem: "HubSpot did not say which scopes the token has: " + unseen, Fix: fix}}
	}
	for _, sc := range scopesNeeded {
		if !slices.Contains(scopes, sc) {
			out = append(out, syncd.Finding{Severity: syncd.SevError, Object: "token", Name: sc,
				Problem: "the token lacks scope " + sc, Fix: "add scope " + sc + " to the private app (Settings > Integrations > Private apps) and update the token"})
		}
	}
	for _, sc := range scopesSetup {
		if !slices.Contains(scopes, sc) {
			out = append(out, syncd.Finding{Severity: syncd.SevWarn, Object: "token", Name: sc,
				Problem: "the token lacks scope " + sc + ", needed by `syncd crm setup` only", Fix: "add it to run `syncd crm setup`, or create the properties by hand"})
		}
	}
	return out
}

// lookUpMissing reads a property the list did not show by its name: the
// list leaves out archived properties and those holding sensitive data.
// A 200 with the property adds it; a read that failed (no answer, a 5xx,
// a limit: syncd.Unread) is the finding returned, unread true, for
// whether the property exists is not known (before, it was left missing,
// and the check said "does not exist" of a property HubSpot had not told
// of); any other answer (404 is likely) leaves it missing.
func (a *Adapter) lookUpMissing(ctx context.Context, s syncd.FieldSpec, props map[string]property) (f syncd.Finding, unread bool) {
	if _, ok := props[s.Name]; ok {
		return f, false
	}
	var p property
	obj := objectOf(s.Kind)
	_, err := a.get(ctx, "properties_get", http.MethodGet, "/crm/v3/properties/"+obj+"/"+s.Name, nil, &p)
	switch {
	case err == nil && p.Name == s.Name:
		props[s.Name] = p
	case err != nil && syncd.Unread(err):
		f = fail(obj, s.Name, err)
		f.Problem = fmt.Sprintf("property %s, not in the list of %s properties, could not be looked up, so whether it exists is not known: %s", s.Name, obj, f.Problem)
		return f, true
	}
	return f, false
}

// otherBlock is the mappings' block (in a rule and in fields:) of the
// other kind of record than k.
func otherBlock(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "contact"
	}
	return "deal"
}

func otherObject(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "contacts"
	}
	return "deals"
}

// checkProperty checks one property the mappings write; other are the
// other object's properties, to tell a property written to the wrong one.
func checkProperty(s syncd.FieldSpec, props, other map[string]property) []syncd.Finding {
	obj := objectOf(s.Kind)
	p, ok := props[s.Name]
	if !ok {
		fix := fmt.Sprintf("create it on %s in HubSpot, or take it out of the mappings (%s)", obj, s.Lines())
		_, elsewhere := other[s.Name]
		switch own := strings.HasPrefix(s.Name, "syncd_") || s.Unique; {
		case own:
			fix = "run `syncd crm setup`"
		case elsewhere:
			fix = fmt.Sprintf("it is a property of %s: move it to the %s: block in %s", otherObject(s.Kind), otherBlock(s.Kind), s.Lines())
		default:
			if near := misspelt(s.Name, props); near != "" {
				fix = misspeltFix(s, obj, near)
			}
		}
		return []syncd.Finding{errorf(obj, s.Name, fix, "property %s does not exist on %s", s.Name, obj)}
	}
	if p.Archived {
		return []syncd.Finding{errorf(obj, s.Name, "restore it in HubSpot (Settings > Properties > Archived properties)",
			"property %s on %s is archived", s.Name, obj)}
	}
	out := append(checkDeclaredOptions(obj, s, p), checkDynamicOption(obj, s, p)...)
	if otherType(s, p) {
		// The mappings write values of the declared type: a declaration
		// changed alone would leave HubSpot refusing every lead's value.
		out = append(out, errorf(obj, s.Name, typeFix(s, p), "property %s is of type %s, the mappings declare %s", s.Name, p.Type, s.Type))
	}
	out = append(out, checkDynamicType(obj, s, p)...)
	out = append(out, checkDynamicNumber(obj, s, p)...)
	if readOnly(p) {
		out = append(out, errorf(obj, s.Name, "take it out of the mappings ("+s.Lines()+")", "property %s is read-only (calculated or HubSpot-owned)", s.Name))
	}
	if s.Unique && !p.HasUniqueValue {
		out = append(out, errorf(obj, s.Name,
			"an existing property can never be made unique: archive or rename it in HubSpot, then run `syncd crm setup`; or set another name in crm.hubspot (lead_id_property / contact_key_property) and run `syncd crm setup`",
			"property %s does not have unique values, so syncd cannot upsert by it", s.Name))
	}
	return append(out, checkValues(s, p)...)
}

// typeFix is what to do about a property p of another type than s
// declares: crm check's fix, and crm setup's.
func typeFix(s syncd.FieldSpec, p property) string {
	return fmt.Sprintf("make it a %s property again in HubSpot (Settings > Properties), as the mappings write %s values; "+
		"or, if %s is meant, declare it so in the mappings' fields: section and write values it takes (%s), or use a %s property under another name",
		s.Type, s.Type, p.Type, s.Where, s.Type)
}

// checkDynamicType warns of values from the payload written into a
// syncd_* property of type number, bool, date or datetime that the
// mappings declare no type for (one `syncd crm setup` made text, say,
// whose type an admin changed since): HubSpot refuses a lead whose value that type
// cannot take, and it is dead-lettered. Declaring the type says it is
// meant so (and `syncd validate` then judges the examples' values).
func checkDynamicType(obj string, s syncd.FieldSpec, p property) []syncd.Finding {
	if !s.Dynamic || s.Type != "" || s.Unique || !strings.HasPrefix(s.Name, "syncd_") || (p.Type != "number" && p.Type != "bool" && p.Type != "date" && p.Type != "datetime") {
		return nil
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("%s writes values from the payload into %s, a %s property, and the mappings declare no type for it (`syncd crm setup` makes such a property text): a lead whose value a %s property cannot take is refused and dead-lettered",
			s.WhereDynamic(), s.Name, p.Type, p.Type),
		Fix: fmt.Sprintf("if %s was made another type by mistake, make it text again in HubSpot (Settings > Properties); if it is meant so, declare its type in the mappings' fields: section", s.Name)}}
}

// accountOptions are the properties whose values are checked against the
// pipelines and owners APIs rather than their options.
func accountOptions(name string) bool {
	return name == "pipeline" || name == "dealstage" || name == "hubspot_owner_id"
}

// checkDynamicOption warns of values from the payload written into an
// enumeration whose options the mappings do not declare: the check cannot
// know them, and HubSpot refuses one that is not an option's value (the
// lead is dead-lettered). It names the rule that writes them. Declared
// options are checked instead (checkDeclaredOptions here, and `syncd
// validate` against the examples), as on Pipedrive: before, the warning
// came for them too, naming the declaration's line as the one writing.
func checkDynamicOption(obj string, s syncd.FieldSpec, p property) []syncd.Finding {
	if !s.Dynamic || p.Type != "enumeration" || accountOptions(p.Name) || (s.Type == "enumeration" && len(s.Options) > 0) {
		return nil
	}
	vals := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		vals = append(vals, o.Value)
	}
	if len(vals) > 10 {
		vals = append(vals[:10], "…")
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("%s writes values from the payload into %s, an enumeration: a lead whose value is neither one of its option values (%s) nor an option's label, in any letter case, is refused and dead-lettered",
			s.WhereDynamic(), s.Name, strings.Join(vals, ", ")),
		Fix: "add the values the portal sends as options in HubSpot, or map them to option values in " + s.WhereDynamic() +
			" (and declare them in the mappings' fields: section, {type: enumeration, options: [...]}, which the check then compares)"}}
}

// checkDeclaredOptions checks that every option the mappings declare for
// an enumeration (a `fields:` section's options, which setup created as
// option values) still names one option of it in HubSpot, by its value or,
// as the adapter sends a lead's value (optionsNamed), by its label or in
// another case: one deleted or given another internal value there since
// setup refuses every lead that carries it.
func checkDeclaredOptions(obj string, s syncd.FieldSpec, p property) []syncd.Finding {
	if p.Type != "enumeration" || accountOptions(p.Name) {
		return nil
	}
	var out []syncd.Finding
	for _, o := range s.Options {
		switch named := optionsNamed(p, o); len(named) {
		case 1:
			if named[0].Hidden {
				out = append(out, hiddenOption(obj, s, named[0], "an option the mappings declare",
					"drop it from the options declared and write another of its options instead, in "+s.Lines()))
			}
			continue
		case 0:
		default:
			which := make([]string, len(named))
			for i, n := range named {
				which[i] = fmt.Sprintf("%q labelled %q", n.Value, n.Label)
			}
			out = append(out, errorf(obj, s.Name, fmt.Sprintf("declare the value of the option meant instead, in %s", s.Where),
				"%q, an option the mappings declare, names several options of %s (%s), and HubSpot takes none of them by it: a lead carrying it is refused",
				o, s.Name, strings.Join(which, ", ")))
			continue
		}
		vals := make([]string, 0, len(p.Options))
		for _, po := range p.Options {
			vals = append(vals, strconv.Quote(po.Value))
		}
		out = append(out, errorf(obj, s.Name,
			fmt.Sprintf("add option %q to %s in HubSpot (or give the renamed option its internal value back), or change the options declared in %s", o, s.Name, s.Where),
			"%q, an option the mappings declare, is not an option value of %s in HubSpot (deleted, or its internal value changed?); its option values: %s",
			o, s.Name, strings.Join(vals, ", ")))
	}
	return out
}

// checkValues checks the constant values written against the property's
// type: options of an enumeration, numbers, booleans.
func checkValues(s syncd.FieldSpec, p property) []syncd.Finding {
	obj := objectOf(s.Kind)
	var out []syncd.Finding
	for _, v := range s.Values {
		switch {
		case accountOptions(p.Name):
			// checked against the pipelines and owners APIs
		case p.Type == "enumeration":
			out = append(out, checkOption(obj, s, p, v)...)
		case p.Type == "number":
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				out = append(out, errorf(obj, s.Name, "write a number in "+s.WhereOf(v), "%q is not a number, and %s is a number property", v, s.Name))
			}
		case p.Type == "bool" && v != "true" && v != "false":
			out = append(out, errorf(obj, s.Name, "write true or false in "+s.WhereOf(v), "%q is not true or false", v))
		case p.Type == "date" || p.Type == "datetime":
			if why := ValueProblem(p.Type, v); why != "" {
				out = append(out, errorf(obj, s.Name, why+", in "+s.WhereOf(v), "%q is no value of %s, a %s property: HubSpot refuses it with every lead", v, s.Name, p.Type))
			}
		}
	}
	return out
}

// checkOption checks the constant v of the enumeration p as the adapter
// writes it (optionValues): a multiple checkboxes value split at ";", its
// elements trimmed and the empty ones left out, each element taken as the
// option it names (optionsNamed). An element no option answers to, or
// several do, is sent as it is, and HubSpot refuses every lead with it:
// an error naming the values to write. One naming an option by its label
// or in another letter case is sent as the option's value, which HubSpot
// takes: a warning naming what is sent, as the constant rests on a label
// an admin may rename (before, it was an error, while the leads went
// through). An option HubSpot hides is warned of (hiddenOption).
func checkOption(obj string, s syncd.FieldSpec, p property, v string) []syncd.Finding {
	parts := []string{v}
	if p.FieldType == "checkbox" {
		parts = nil
		for _, part := range strings.Split(v, ";") {
			if part = strings.TrimSpace(part); part != "" {
				parts = append(parts, part)
			}
		}
	}
	var out, hidden []syncd.Finding
	var whys, sent []string
	label := false
	for _, part := range parts {
		named := optionsNamed(p, part)
		switch {
		case len(named) == 0:
			fix := fmt.Sprintf("add option %q to %s in HubSpot", part, s.Name)
			if vals := optionList(p); vals != "" {
				fix += fmt.Sprintf(", or write one of its option values (%s) in %s", vals, s.WhereOf(v))
			}
			return []syncd.Finding{errorf(obj, s.Name, fix, "%q is not an option of %s", part, s.Name)}
		case len(named) > 1:
			which := make([]string, len(named))
			vals := make([]string, len(named))
			for i, o := range named {
				which[i], vals[i] = fmt.Sprintf("%q labelled %q", o.Value, o.Label), strconv.Quote(o.Value)
			}
			return []syncd.Finding{errorf(obj, s.Name, fmt.Sprintf("write the value of the option meant (%s) in %s", strings.Join(vals, " or "), s.WhereOf(v)),
				"%q names several options of %s (%s), and HubSpot takes none of them by it", part, s.Name, strings.Join(which, ", "))}
		}
		o := named[0]
		sent = append(sent, o.Value)
		if o.Hidden {
			hidden = append(hidden, hiddenOption(obj, s, o, "a value the mappings write",
				fmt.Sprintf("write another of %s's options in %s", s.Name, s.WhereOf(v))))
		}
		switch {
		case o.Value == part:
		case o.Label == strings.TrimSpace(part):
			label = true
			whys = append(whys, fmt.Sprintf("%q is the label of option %q of %s", part, o.Value, s.Name))
		case strings.EqualFold(o.Label, strings.TrimSpace(part)) && !strings.EqualFold(o.Value, strings.TrimSpace(part)):
			label = true
			whys = append(whys, fmt.Sprintf("%q is, but for its case, the label of option %q of %s", part, o.Value, s.Name))
		default:
			whys = append(whys, fmt.Sprintf("%q is, but for its case, the value of option %q of %s", part, o.Value, s.Name))
		}
	}
	if len(whys) > 0 {
		value := strings.Join(sent, ";")
		fix := fmt.Sprintf("nothing is refused; to write what HubSpot holds, write %q in %s", value, s.WhereOf(v))
		if label {
			fix += ": a label is what an admin renames in HubSpot, which would leave the constant naming no option"
		}
		out = append(out, syncd.Finding{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
			Problem: fmt.Sprintf("%s: syncd sends %q, which HubSpot takes", strings.Join(whys, "; "), value), Fix: fix})
	}
	return append(out, hidden...)
}

// optionList is the option values of p that HubSpot does not hide,
// quoted, the first ten of them.
func optionList(p property) string {
	vals := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		if !o.Hidden {
			vals = append(vals, strconv.Quote(o.Value))
		}
	}
	if len(vals) > 10 {
		vals = append(vals[:10], "…")
	}
	return strings.Join(vals, ", ")
}

// hiddenOption warns of o, an option of the enumeration s that an admin
// hid in HubSpot (what: how the mappings name it; retire: what to do in
// the mappings if it was retired): HubSpot no longer offers it in the
// property's dropdown, which is how an option is retired there, while
// the leads syncd sends go on getting it.
func hiddenOption(obj string, s syncd.FieldSpec, o option, what, retire string) syncd.Finding {
	return syncd.Finding{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("option %q (%s) of %s, %s, is hidden in HubSpot: its dropdown no longer offers it, yet the leads get it", o.Value, o.Label, s.Name, what),
		Fix:     fmt.Sprintf("if the option was retired, %s; else show it again in HubSpot (Settings > Properties > %s)", retire, s.Name)}
}

type pipeline struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Stages []struct {
		ID       string `json:"id"`
		Label    string `json:"label"`
		Archived bool   `json:"archived"`
	} `json:"stages"`
}

func specNamed(specs []syncd.FieldSpec, kind syncd.RecordKind, name string) (syncd.FieldSpec, bool) {
	for _, s := range specs {
		if s.Kind == kind && s.Name == name {
			return s, true
		}
	}
	return syncd.FieldSpec{}, false
}

// stagesOf names the pipelines a deal stage is looked for in: those the
// mappings write (written: a pipeline is written, n of them), else the
// default pipeline, where HubSpot puts a deal that names none (byDefault),
// else any of the account's (the mappings write a pipeline from the
// payload, or the account has no pipeline "default").
func stagesOf(written, byDefault bool, n int) string {
	switch {
	case byDefault:
		return `the default pipeline, where HubSpot puts a deal written without "pipeline"`
	case !written:
		return "any pipeline of the account"
	}
	return syncd.Noun(n, "the pipeline written", "the pipelines written")
}

// defaultPipeline is the account's pipeline HubSpot puts a deal written
// without a pipeline in: "If a pipeline isn't specified, the default
// pipeline will be used", the one with id "default" every account starts
// with (docs/crm-contracts.md); false when the account has none so named.
func defaultPipeline(ps []pipeline) (pipeline, bool) {
	i := slices.IndexFunc(ps, func(p pipeline) bool { return p.ID == "default" })
	if i < 0 {
		return pipeline{}, false
	}
	return ps[i], true
}

// checkPipelines checks the pipeline and deal stage ids the mappings write;
// a fix names every line that writes the id (fixed at the first alone, the
// check failed again on the next).
func (a *Adapter) checkPipelines(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	pipe, hasPipe := specNamed(specs, syncd.RecordDeal, "pipeline")
	stage, hasStage := specNamed(specs, syncd.RecordDeal, "dealstage")
	if !hasPipe && !hasStage {
		return nil
	}
	var ans struct {
		Results []pipeline `json:"results"`
	}
	if _, err := a.get(ctx, "pipelines_list", http.MethodGet, "/crm/v3/pipelines/deals", nil, &ans); err != nil {
		return []syncd.Finding{fail("pipelines", "deals", err)}
	}
	var out []syncd.Finding
	in := ans.Results
	if hasPipe && !pipe.Dynamic {
		in = nil
	}
	// A deal written without a pipeline goes to the default one, which
	// refuses another pipeline's stage (docs/crm-contracts.md). Before, a
	// stage of any pipeline passed, the check said the account was ready,
	// and HubSpot refused every deal: a pause that the check then lifted,
	// and every lead after it a dead letter as if its value were its own.
	def, byDefault := defaultPipeline(ans.Results)
	byDefault = byDefault && !hasPipe
	if byDefault {
		in = []pipeline{def}
	}
	for _, v := range pipe.Values {
		i := slices.IndexFunc(ans.Results, func(p pipeline) bool { return p.ID == v })
		if i < 0 {
			out = append(out, errorf("pipelines", "pipeline", pipelineFix(ans.Results, v, strings.Join(pipe.PlacesOf(v), ", ")), "pipeline %q does not exist", v))
			continue
		}
		in = append(in, ans.Results[i])
	}
	found := len(out)
	if len(stage.Writes) == 0 || (hasPipe && len(pipe.Writes) == 0) { // not from the mappings' rules: no pairing known
		for _, v := range stage.Values {
			if !stageIn(in, v) {
				out = append(out, errorf("pipelines", "dealstage", stageFix(in, ans.Results, v, strings.Join(stage.PlacesOf(v), ", ")), "deal stage %q is not a stage of %s", v, stagesOf(hasPipe && !pipe.Dynamic, byDefault, len(pipe.Values))))
			}
		}
	} else {
		out = append(out, checkRuleStages(stage, pipe, ans.Results)...)
	}
	if !hasPipe && len(ans.Results) > 1 {
		w := syncd.Finding{Severity: syncd.SevWarn, Object: "pipelines", Name: "pipeline",
			Problem: "the account has several pipelines and the mappings write no pipeline", Fix: "write pipeline beside dealstage in the mappings"}
		switch {
		case byDefault && len(out) > found:
			// A stage's own row says which pipeline to write: a warning
			// that nothing may be to do would gainsay it.
			return out
		case byDefault:
			// Say where the deals go, and that it may be meant: the
			// warning said only to write a pipeline, naming none.
			where := "each rule's deal"
			if hasStage && len(stage.Places) > 0 {
				where = strings.Join(stage.Places, ", ")
			}
			w.Problem += fmt.Sprintf(": HubSpot puts every deal in the default one, %s (%s)", def.ID, def.Label)
			w.Fix = "nothing, if that is the pipeline meant; else write the id of the one meant as pipeline beside dealstage (pipeline: {const: ID}) in " + where
		}
		out = append(out, w)
	}
	return out
}

// checkRuleStages checks each deal stage a rule writes against the
// pipeline the same rule writes (or the default pipeline, where HubSpot
// puts a deal written without one, when that rule writes none), naming
// that rule's line. Before, a stage was looked for in every pipeline any
// rule wrote: rule A writing pipeline X with a stage of pipeline Y passed
// when rule B wrote Y, and HubSpot refused every deal of rule A (a pause,
// then dead letters). Rules whose deals a stage is refused in for the same
// pipelines share one finding, naming each rule's line.
func checkRuleStages(stage, pipe syncd.FieldSpec, all []pipeline) []syncd.Finding {
	type miss struct {
		v, what string
		in      []pipeline
		at      []string
	}
	var misses []*miss
	for _, w := range stage.Writes {
		in, what := rulePipelines(w.Rule, pipe, all)
		for _, v := range w.Values {
			if stageIn(in, v) {
				continue
			}
			i := slices.IndexFunc(misses, func(m *miss) bool { return m.v == v && m.what == what })
			if i < 0 {
				misses = append(misses, &miss{v: v, what: what, in: in})
				i = len(misses) - 1
			}
			if !slices.Contains(misses[i].at, w.At) {
				misses[i].at = append(misses[i].at, w.At)
			}
		}
	}
	out := make([]syncd.Finding, 0, len(misses))
	for _, m := range misses {
		out = append(out, errorf("pipelines", "dealstage", stageFix(m.in, all, m.v, strings.Join(m.at, ", ")), "deal stage %q is not a stage of %s", m.v, m.what))
	}
	return out
}

// rulePipelines are the pipelines a deal of the rule beginning at rule can
// be in, of the account's (all), and how a finding names them: those the
// rule writes as pipeline (those that exist: a missing one has its own
// finding), any when it writes one from the payload, else the default
// pipeline (any, when the account has none so named).
func rulePipelines(rule string, pipe syncd.FieldSpec, all []pipeline) ([]pipeline, string) {
	i := slices.IndexFunc(pipe.Writes, func(w syncd.Write) bool { return w.Rule == rule })
	if i < 0 {
		if def, ok := defaultPipeline(all); ok {
			return []pipeline{def}, stagesOf(false, true, 0)
		}
		return all, stagesOf(false, false, 0)
	}
	w := pipe.Writes[i]
	if w.Dynamic {
		return all, stagesOf(false, false, 0)
	}
	var in []pipeline
	for _, v := range w.Values {
		if j := slices.IndexFunc(all, func(p pipeline) bool { return p.ID == v }); j >= 0 {
			in = append(in, all[j])
		}
	}
	return in, stagesOf(true, false, len(w.Values))
}

// setupPipelines is crm setup's rows for the pipelines and deal stages the
// mappings write that the account does not have: syncd creates none (they
// are the sales team's), so setup is not done. Before, setup said "done"
// and exited 0 while crm check failed on them and the adapter paused at
// the first deal. A read that fails is left to crm check, which setup's
// last line says to run.
func (a *Adapter) setupPipelines(ctx context.Context, specs []syncd.FieldSpec) []syncd.Action {
	var out []syncd.Action
	for _, f := range a.checkPipelines(ctx, specs) {
		if f.Severity == syncd.SevError && !f.Unread {
			out = append(out, syncd.Action{Object: f.Object, Name: f.Name, What: "cannot create", Detail: f.Problem + ": " + f.Fix})
		}
	}
	return out
}

// pipelineOf is the pipeline of ps that has a stage (not archived) of
// id.
func pipelineOf(ps []pipeline, id string) (pipeline, bool) {
	for _, p := range ps {
		if stageIn([]pipeline{p}, id) {
			return p, true
		}
	}
	return pipeline{}, false
}

// pipelineIDs names ps for a fix: "pipeline default", "pipelines a, b".
func pipelineIDs(ps []pipeline) string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return syncd.Noun(len(ps), "pipeline ", "pipelines ") + strings.Join(ids, ", ")
}

func stageIn(ps []pipeline, id string) bool {
	for _, p := range ps {
		for _, s := range p.Stages {
			if s.ID == id && !s.Archived {
				return true
			}
		}
	}
	return false
}

func pipelineFix(ps []pipeline, v, where string) string {
	for _, p := range ps {
		if strings.EqualFold(p.Label, v) {
			return fmt.Sprintf("write the pipeline's id %q, not its label, in %s", p.ID, where)
		}
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID+" ("+p.Label+")")
	}
	return "write one of " + strings.Join(ids, ", ") + " in " + where
}

// stageFix is what to do of a deal stage v written (at where) that is not
// one of the pipelines written (ps). When none of those exists (the
// pipeline's own row says so), it names the stages of every pipeline in
// the account (all), with their pipeline: before, it said "write one of
// in FILE:LINE", naming none.
func stageFix(ps, all []pipeline, v, where string) string {
	if p, ok := pipelineOf(all, v); ok {
		// The stage is another pipeline's: the pipeline is what to write.
		fix := fmt.Sprintf("it is a stage of pipeline %s (%s): write that pipeline's id as pipeline beside it (pipeline: {const: %q}) in %s", p.ID, p.Label, p.ID, where)
		if len(ps) == 0 {
			return fix
		}
		return fix + "; or write a stage of " + pipelineIDs(ps) + " there"
	}
	of := ""
	if len(ps) == 0 {
		ps = all
		of = "the pipeline written does not exist: write, with its pipeline's id, "
	}
	var ids []string
	for _, p := range ps {
		for _, s := range p.Stages {
			if strings.EqualFold(s.Label, v) {
				return fmt.Sprintf("write the stage's id %q, not its label, in %s", s.ID, where)
			}
			switch {
			case s.Archived:
			case of != "":
				ids = append(ids, s.ID+" ("+s.Label+", pipeline "+p.ID+")")
			default:
				ids = append(ids, s.ID+" ("+s.Label+")")
			}
		}
	}
	if len(ids) == 0 {
		return "the account's pipelines have no stage: add the stages in HubSpot (Settings > Objects > Deals > Pipelines), then write one's id in " + where
	}
	if of == "" {
		of = "write "
	}
	return of + "one of " + strings.Join(ids, ", ") + " in " + where
}

type owner struct {
	ID string `json:"id"`
}

// checkOwners checks the owner ids the mappings write. GET /crm/v3/owners
// lists active owners alone; a deactivated user's owner is archived, listed
// by a second read with archived=true, made only when an id is missing
// from the first, to tell such an owner from an id no owner has. Before,
// one finding said either ("no owner has that id, or its user was
// deactivated"), leaving the operator to find which in HubSpot.
func (a *Adapter) checkOwners(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	var values []syncd.FieldSpec
	for _, s := range specs {
		if s.Name == "hubspot_owner_id" && len(s.Values) > 0 {
			values = append(values, s)
		}
	}
	if len(values) == 0 {
		return nil
	}
	owners, err := a.owners(ctx, false)
	if err != nil {
		return []syncd.Finding{fail("owners", "hubspot_owner_id", err)}
	}
	var archived map[string]bool
	var unread error
	var out []syncd.Finding
	for _, s := range values {
		for _, v := range s.Values {
			if owners[v] {
				continue
			}
			if archived == nil && unread == nil {
				archived, unread = a.owners(ctx, true)
			}
			out = append(out, ownerFinding(s, v, archived, unread))
		}
	}
	return out
}

// ownerFinding is the error of owner id v, which s writes and no active
// owner has: deactivated when it is among the archived owners, else no
// owner's; either, as before, when those could not be read (unread).
func ownerFinding(s syncd.FieldSpec, v string, archived map[string]bool, unread error) syncd.Finding {
	where := strings.Join(s.PlacesOf(v), ", ") // every line writing it: fixed at the first alone, the check failed again
	switch {
	case unread != nil:
		return errorf(objectOf(s.Kind), s.Name,
			"write an active owner's id in "+where+"; if the owner's user was deactivated, reactivate it in HubSpot (Settings > Users & Teams)",
			"owner %q is no active owner of the account: no owner has that id, or its user was deactivated (the deactivated ones could not be read: %v)", v, unread)
	case archived[v]:
		return errorf(objectOf(s.Kind), s.Name,
			"write an active owner's id in "+where+", or reactivate the user in HubSpot (Settings > Users & Teams)",
			"owner %q is deactivated: its user was deactivated in HubSpot, and a lead given to them would be worked by nobody", v)
	}
	return errorf(objectOf(s.Kind), s.Name,
		"write an active owner's id in "+where+" (HubSpot's Settings > Users & Teams shows the users; an owner's id is not its user's id)",
		"owner %q does not exist in the account: no owner, active or deactivated, has that id", v)
}

// maxOwnerPages bounds the pages of owners read: 500 owners each.
const maxOwnerPages = 200

// owners reads the ids of the account's owners, every page of them
// (HubSpot pages the list, paging.next.after naming the next page): the
// active ones, or with archived those of deactivated users alone.
func (a *Adapter) owners(ctx context.Context, archived bool) (map[string]bool, error) {
	ids := map[string]bool{}
	q := url.Values{"limit": {"500"}}
	op := "owners_list"
	if archived {
		q.Set("archived", "true")
		op = "owners_archived_list"
	}
	for range maxOwnerPages {
		var ans struct {
			Results []owner `json:"results"`
			Paging  struct {
				Next struct {
					After string `json:"after"`
				} `json:"next"`
			} `json:"paging"`
		}
		if _, err := a.get(ctx, op, http.MethodGet, "/crm/v3/owners?"+q.Encode(), nil, &ans); err != nil {
			return nil, err
		}
		for _, o := range ans.Results {
			ids[o.ID] = true
		}
		if ans.Paging.Next.After == "" || ans.Paging.Next.After == q.Get("after") {
			break
		}
		q.Set("after", ans.Paging.Next.After)
	}
	return ids, nil
}

// misspelt is the property of props that name, which none is, is probably
// a misspelling of ("" for none): a mapping's compnay: for company.
func misspelt(name string, props map[string]property) string {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names) // the first of the closest, the same at every run
	return suggest.Misspelt(name, names)
}

// misspeltFix is what to do of a property s the account lacks on obj
// whose name is near that of one it has (near): write that one, before
// creating a property under a mistyped name.
func misspeltFix(s syncd.FieldSpec, obj, near string) string {
	return fmt.Sprintf("did you mean %s, a property of %s? write it so in %s; if %s is meant, create it on %s in HubSpot",
		near, obj, s.Lines(), s.Name, obj)
}
