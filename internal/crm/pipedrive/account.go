package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var (
	_            syncd.Checker  = (*Adapter)(nil)
	_            syncd.Setupper = (*Adapter)(nil)
	fieldKeyRE                  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	textTypes                   = []string{"varchar", "varchar_auto", "text", "varchar_options", "phone"}
	objectOfKind                = map[syncd.RecordKind]string{syncd.RecordContact: "persons", syncd.RecordDeal: "deals"}
)

type user struct {
	ID     int64 `json:"id"`
	Active *bool `json:"active_flag"` // nil when the answer does not say
}

// withLead adds the lead-id field to specs unless the mappings write it.
func (a *Adapter) withLead(specs []syncd.FieldSpec) []syncd.FieldSpec {
	for _, s := range specs {
		if s.Kind == syncd.RecordDeal && s.Name == a.opts.LeadIDField {
			return specs
		}
	}
	return append(append([]syncd.FieldSpec(nil), specs...),
		syncd.FieldSpec{Kind: syncd.RecordDeal, Name: a.opts.LeadIDField, Type: "varchar", Where: a.leadWhere()})
}

// leadWhere is where the configuration names the lead-id field.
func (a *Adapter) leadWhere() string {
	if a.opts.LeadIDFieldWhere != "" {
		return a.opts.LeadIDFieldWhere
	}
	return "crm.pipedrive.lead_id_field"
}

// Check reads the account and reports what the mappings need that is
// missing or wrong: the token, every custom field (by key or name, of a
// compatible type, the options written; a field renamed since its key was
// recorded), the lead-id field, the pipelines and stages written, owners,
// the constants written into system fields (checkSystem), and the
// currencies written (checkCurrencies). It writes nothing to Pipedrive; it
// records the keys of the fields found (Options.Keys).
func (a *Adapter) Check(ctx context.Context, specs []syncd.FieldSpec) ([]syncd.Finding, error) {
	if f, ok := a.opts.Pin.Finding(ctx, plainReadFailure); ok { // another account's: nothing else matters
		return []syncd.Finding{f}, nil
	}
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return []syncd.Finding{readFailure(err)}, nil
	}
	var out []syncd.Finding
	for _, s := range a.withLead(specs) {
		if system(s.Kind, s.Name) {
			continue
		}
		fs, err := a.checkCustom(ctx, sc, s, around(s.Kind, specs))
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	out = append(out, a.checkStages(ctx, sc, specs)...)
	out = append(out, a.checkUser(ctx, specs)...)
	out = append(out, a.checkOwners(ctx, specs)...)
	out = append(out, checkSystem(specs)...)
	out = append(out, a.checkCurrencies(ctx, sc, specs)...)
	if f, ok := crm.ClockFinding(a.http, "Pipedrive"); ok {
		out = append(out, f)
	}
	return out, nil
}

// checkCustom checks one custom field the mappings write, says when it
// was renamed in Pipedrive, and records the key of the field found.
func (a *Adapter) checkCustom(ctx context.Context, sc *schema, s syncd.FieldSpec, record map[string]string) ([]syncd.Finding, error) {
	if f, ok, err := a.renamed(ctx, sc, s); err != nil || ok {
		return []syncd.Finding{finding(s, a.renamedFix(s, f), "%s", renamedProblem(s, f))}, err
	}
	if f, err := sc.field(s.Kind, s.Name); err == nil && usableKey(s, f) && !ownField(f) {
		if err := a.recordKey(ctx, s, f.Code); err != nil {
			return nil, err
		}
	}
	return checkField(sc, s, record), nil
}

// around is what a record of kind holds beside a custom field, as far as
// the field's value depends on it: a deal's currency, which an amount
// without one takes (any currency when the mappings write it from the
// lead: it is not known before).
func around(kind syncd.RecordKind, specs []syncd.FieldSpec) map[string]string {
	if kind != syncd.RecordDeal {
		return nil
	}
	for _, s := range specsNamed(specs, "currency") {
		if len(s.Values) > 0 {
			return map[string]string{"currency": s.Values[0]}
		}
		if s.Dynamic {
			return map[string]string{"currency": "EUR"}
		}
	}
	return nil
}

// plainReadFailure is a failed read said plainly (crm.ReadFailure).
func plainReadFailure(err error) (problem, fix string) {
	return crm.ReadFailure("Pipedrive", "crm.pipedrive.base_url (https://COMPANY.pipedrive.com/api/v2)", err)
}

// ReadFailure says plainly why a read of the account failed, and what to
// do: for the lines of `syncd crm check` outside the findings.
func (a *Adapter) ReadFailure(err error) (problem, fix string) { return plainReadFailure(err) }

// plainCause is why a read failed, said plainly, for a row or line
// that says what could not be read.
func plainCause(err error) string {
	problem, _ := plainReadFailure(err)
	return problem
}

// readFailure is the check's row for a read of the account that failed.
func readFailure(err error) syncd.Finding {
	problem, fix := plainReadFailure(err)
	f := syncd.Finding{Severity: syncd.SevError, Object: "api", Name: "fields", Problem: problem, Fix: fix, Unread: syncd.Unread(err)}
	var ce *syncd.CRMError
	if errors.As(err, &ce) && ce.Class == syncd.ErrDailyLimit {
		f.Fix = "nothing to change in the account: the company's daily token budget is spent (by syncd or another integration); " +
			"it resets at midnight, in a time zone Pipedrive does not name: run the check again then"
	}
	if errors.As(err, &ce) && (ce.Status == http.StatusUnauthorized || ce.Status == http.StatusForbidden || ce.Status == http.StatusPaymentRequired) {
		f.Name, f.Problem = "token", fmt.Sprintf("Pipedrive refuses the token (%d: %s)", ce.Status, ce.Message)
		f.Fix = "set crm.pipedrive.token (or token_file) to the API token of a user who may see and add fields (Personal preferences > API); " +
			"run the check again, then systemctl reload syncd so that the daemon takes it"
	}
	return f
}

func finding(s syncd.FieldSpec, fix, format string, args ...any) syncd.Finding {
	return syncd.Finding{Severity: syncd.SevError, Object: objectOfKind[s.Kind], Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf(format, args...), Fix: fix}
}

// checkField checks one custom field the mappings write; record is what
// its record holds beside it (around).
func checkField(sc *schema, s syncd.FieldSpec, record map[string]string) []syncd.Finding {
	f, err := sc.field(s.Kind, s.Name)
	if problem, fix, ok := ownWords(s.Kind, s.Name, s.Name, s.Lines()); err != nil && ok {
		return []syncd.Finding{finding(s, fix, "%s", problem)}
	}
	if err == nil && ownField(f) {
		problem, fix := ownOf(s.Kind, s.Name, f, s.Lines())
		return []syncd.Finding{finding(s, fix, "%s", problem)}
	}
	if err != nil {
		fix := "run `syncd crm setup`"
		if fieldKeyRE.MatchString(s.Name) {
			fix = "this key is from another account: write the field's name in " + s.Lines()
		} else if near := sc.misspelt(s.Kind, s.Name); near != "" {
			fix = misspeltFix(s, near)
		}
		var ce *syncd.CRMError
		if errors.As(err, &ce) && strings.Contains(ce.Message, "fields are named") {
			fix = "rename one of them in Pipedrive, or write the key in " + s.Lines()
		}
		return []syncd.Finding{finding(s, fix, "%s", err.(*syncd.CRMError).Message)}
	}
	var out []syncd.Finding
	if otherType(s.Type, f.Type) {
		out = append(out, finding(s, typeFix(s.Type, f.Type, s.Where),
			"field %q is of type %s, the mappings declare %s", s.Name, f.Type, s.Type))
	}
	out = append(out, checkRoom(f, s)...)
	out = append(out, checkOptions(f, s)...)
	out = append(out, checkPayloadOptions(f, s)...)
	out = append(out, checkPayloadType(f, s)...)
	for _, v := range s.Values {
		if _, err := typed(f, v, record); err != nil {
			var ce *syncd.CRMError
			errors.As(err, &ce)
			fix := "write a valid value in " + s.WhereOf(v)
			if ce.Code == codeOption {
				fix = "run `syncd crm setup`, which adds the option, or write one of the field's options in " + s.WhereOf(v)
				if parts := idLike(f, s, v); len(parts) > 0 {
					fix = idFix(f, s, parts, s.WhereOf(v))
				}
			}
			if f.Type == "monetary" {
				fix = `write the amount with its currency ("450000 DKK") in ` + s.WhereOf(v) + ", or the deal's currency beside it (currency: {const: DKK})"
			}
			out = append(out, finding(s, fix, "%s", ce.Message))
		}
	}
	return out
}

// checkOptions checks that every option the mappings declare for an enum
// or set field is one of its options in Pipedrive: one renamed or deleted
// there since setup would refuse every lead that carries it.
func checkOptions(f field, s syncd.FieldSpec) []syncd.Finding {
	if f.Type != "enum" && f.Type != "set" {
		return nil
	}
	var out []syncd.Finding
	for _, o := range s.Options {
		if slices.ContainsFunc(f.Options, func(fo fieldOption) bool { return strings.EqualFold(fo.Label, o) }) {
			continue
		}
		labels := make([]string, 0, len(f.Options))
		for _, fo := range f.Options {
			labels = append(labels, strconv.Quote(fo.Label))
		}
		out = append(out, finding(s, fmt.Sprintf("run `syncd crm setup`, which adds it (if it was renamed in Pipedrive, rename it back to %q there instead, "+
			"so that the records holding it keep it), or write one of its options instead, in the rules and the fields declaration (%s)", o, s.Lines()),
			"%q, an option the mappings declare, is not an option of %s field %q in Pipedrive (renamed or deleted?); its options: %s",
			o, noun(s.Kind), f.Name, strings.Join(labels, ", ")))
	}
	return out
}

// checkStages checks the pipelines and stages written, by name or id. It
// keeps the id of each found by name, and tells one renamed since from one
// deleted (stagekeys.go).
func (a *Adapter) checkStages(ctx context.Context, sc *schema, specs []syncd.FieldSpec) []syncd.Finding {
	var out []syncd.Finding
	var pids []int64
	pipes := specsNamed(specs, "pipeline", "pipeline_id")
	stages := specsNamed(specs, "stage", "stage_id")
	var company string
	if a.opts.Keys != nil && len(pipes)+len(stages) > 0 {
		company = a.company(ctx)
	}
	for _, s := range pipes {
		for _, v := range s.Values {
			id, err := sc.pipelineID(v)
			// Every line that writes v: fixed at the first alone, the
			// check fails again on the next.
			where := strings.Join(s.PlacesOf(v), ", ")
			var ce *syncd.CRMError
			if errors.As(err, &ce) && ce.Code == codeAmbiguous {
				out = append(out, finding(s, "write the pipeline's id in "+where+", or rename one of them in Pipedrive", "%s", ce.Message))
				continue
			}
			if p, ok := a.renamedPipeline(ctx, sc, company, v); err != nil && ok {
				problem, fix := renamedStageWords("pipeline", v, p.Name, p.ID, s.PlacesOf(v))
				out, pids = append(out, finding(s, fix, "%s", problem)), append(pids, p.ID)
				continue
			}
			if err != nil {
				problem, fix := a.unseen(ctx, "pipeline", fmt.Sprintf("no pipeline named or numbered %q", v), oneOf("pipeline", "", pipelineNames(sc), where))
				out = append(out, finding(s, fix, "%s", problem))
				continue
			}
			if byName(sc, id, v) {
				a.keepID(ctx, pipelineKeyName(company, v), id)
			}
			pids = append(pids, id)
		}
	}
	if ruleStages(pipes, stages) {
		return append(out, a.checkRuleStages(ctx, sc, company, pipes, stages)...)
	}
	dynamic := len(pids) != 1 || slices.ContainsFunc(pipes, func(s syncd.FieldSpec) bool { return s.Dynamic })
	for _, s := range stages {
		for _, v := range s.Values {
			var pid int64
			if !dynamic {
				pid = pids[0]
			}
			if f, ok := a.stageFinding(ctx, sc, company, s, v, pid, s.PlacesOf(v)); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// stageFinding is the finding of stage v, which s writes at places, looked
// up within pipeline pid (0: any), if it is not found there; it keeps the
// id of one found by name.
func (a *Adapter) stageFinding(ctx context.Context, sc *schema, company string, s syncd.FieldSpec, v string, pid int64, places []string) (syncd.Finding, bool) {
	id, err := sc.stageID(v, pid)
	if st, ok := a.renamedStage(ctx, sc, company, pid, v); err != nil && ok {
		problem, fix := renamedStageWords("stage", v, st.Name, st.ID, places)
		return finding(s, fix, "%s", problem), true
	}
	if err != nil {
		where := strings.Join(places, ", ")
		if p, ok := otherPipeline(sc, v, pid); ok {
			// A stage of another pipeline than the one its rule writes:
			// Pipedrive would put the deal in the stage's pipeline
			// (pipeline_id ignored beside stage_id); syncd sends neither.
			return finding(s, fmt.Sprintf("write a stage of pipeline %q (%s) in %s, or pipeline %q beside it", pipelineName(sc, pid), stageNames(sc, pid), where, p.Name),
				"stage %q is a stage of pipeline %q, not of pipeline %q, which the rule writes beside it", v, p.Name, pipelineName(sc, pid)), true
		}
		problem, fix := a.unseen(ctx, "stage", err.(*syncd.CRMError).Message, oneOf("stage", " there", stageNames(sc, pid), where))
		return finding(s, fix, "%s", problem), true
	}
	if stageByName(sc, id, v) {
		a.keepID(ctx, stageKeyName(company, pid, v), id)
	}
	return syncd.Finding{}, false
}

// ruleStages reports whether every stage and pipeline spec says which
// rules write it (FieldSpec.Writes), so that each rule's stage can be
// looked up within the pipeline that rule writes.
func ruleStages(pipes, stages []syncd.FieldSpec) bool {
	has := func(s syncd.FieldSpec) bool { return len(s.Writes) > 0 }
	return len(stages) > 0 && !slices.ContainsFunc(stages, func(s syncd.FieldSpec) bool { return !has(s) }) &&
		!slices.ContainsFunc(pipes, func(s syncd.FieldSpec) bool { return !has(s) })
}

// checkRuleStages checks each stage a rule writes within the pipeline the
// same rule writes, as placeStage sends it (any pipeline when the rule
// writes none, or one from the payload, or several), naming the lines of
// the rules a stage is missing for in the same pipeline. Before, once the
// mappings wrote two pipelines, every stage was looked up in any: a name
// both have was an error ("write the pipeline too") for rules that wrote
// it, and a stage of one pipeline written with the other passed, each
// lead's send refused.
func (a *Adapter) checkRuleStages(ctx context.Context, sc *schema, company string, pipes, stages []syncd.FieldSpec) []syncd.Finding {
	type key struct {
		v   string
		pid int64
	}
	var out []syncd.Finding
	for _, s := range stages {
		var keys []key
		places := map[key][]string{}
		for _, w := range s.Writes {
			pid := rulePipeline(sc, pipes, w.Rule)
			for _, v := range w.Values {
				k := key{v, pid}
				if _, ok := places[k]; !ok {
					keys = append(keys, k)
				}
				if !slices.Contains(places[k], w.At) {
					places[k] = append(places[k], w.At)
				}
			}
		}
		for _, k := range keys {
			if f, ok := a.stageFinding(ctx, sc, company, s, k.v, k.pid, places[k]); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// rulePipeline is the id of the one pipeline the rule beginning at rule
// writes as a constant, found in the account; 0 (any) when it writes none,
// one from the payload, several, or one not found (its own row says so).
func rulePipeline(sc *schema, pipes []syncd.FieldSpec, rule string) int64 {
	for _, s := range pipes {
		for _, w := range s.Writes {
			if w.Rule != rule {
				continue
			}
			if w.Dynamic || len(w.Values) != 1 {
				return 0
			}
			id, err := sc.pipelineID(w.Values[0])
			if err != nil {
				return 0
			}
			return id
		}
	}
	return 0
}

// otherPipeline is the pipeline, other than pid, that holds stage v (by
// name or id), when pid is a pipeline and v is not one of its stages.
func otherPipeline(sc *schema, v string, pid int64) (pipeline, bool) {
	if pid == 0 {
		return pipeline{}, false
	}
	id, err := sc.stageID(v, 0)
	if err != nil {
		return pipeline{}, false
	}
	for _, st := range sc.stages {
		if st.ID != id || st.PipelineID == pid {
			continue
		}
		for _, p := range sc.pipelines {
			if p.ID == st.PipelineID {
				return p, true
			}
		}
	}
	return pipeline{}, false
}

// pipelineName is the name of pipeline pid, or its id.
func pipelineName(sc *schema, pid int64) string {
	for _, p := range sc.pipelines {
		if p.ID == pid {
			return p.Name
		}
	}
	return strconv.FormatInt(pid, 10)
}

// byName and stageByName report whether the pipeline or stage id was found
// by the name v (not by its id written in the mappings).
func byName(sc *schema, id int64, v string) bool {
	return slices.ContainsFunc(sc.pipelines, func(p pipeline) bool { return p.ID == id && strings.EqualFold(p.Name, v) })
}

func stageByName(sc *schema, id int64, v string) bool {
	return slices.ContainsFunc(sc.stages, func(s stage) bool { return s.ID == id && strings.EqualFold(s.Name, v) })
}

func specsNamed(specs []syncd.FieldSpec, names ...string) []syncd.FieldSpec {
	var out []syncd.FieldSpec
	for _, s := range specs {
		if s.Kind == syncd.RecordDeal && slices.Contains(names, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// oneOf is the fix of a pipeline or stage (what, within a pipeline when
// within says so) not found: to write one of names, those Pipedrive shows
// the token's user, in where. There may be none: a regular user's
// pipelines all hidden from it.
func oneOf(what, within, names, where string) string {
	if names == "" {
		return fmt.Sprintf("make one in Pipedrive and write it in %s (Pipedrive shows the token's user no %s%s)", where, what, within)
	}
	return "write one of: " + names + " in " + where
}

func pipelineNames(sc *schema) string {
	var ns []string
	for _, p := range sc.pipelines {
		if !p.Deleted {
			ns = append(ns, strconv.Quote(p.Name))
		}
	}
	return strings.Join(ns, ", ")
}

func stageNames(sc *schema, pid int64) string {
	var ns []string
	for _, s := range sc.stages {
		if !s.Deleted && (pid == 0 || s.PipelineID == pid) {
			ns = append(ns, strconv.Quote(s.Name))
		}
	}
	return strings.Join(ns, ", ")
}

// checkOwners checks the owner ids written against the company's users
// (API v1: v2 has no users endpoint).
func (a *Adapter) checkOwners(ctx context.Context, specs []syncd.FieldSpec) []syncd.Finding {
	var owners []syncd.FieldSpec
	for _, s := range specs {
		if s.Name == "owner_id" && len(s.Values) > 0 {
			owners = append(owners, s)
		}
	}
	if len(owners) == 0 {
		return nil
	}
	var out struct {
		Data []user `json:"data"`
	}
	v1 := strings.TrimSuffix(a.opts.BaseURL, "/v2") + "/v1/users"
	if _, err := a.do(ctx, crm.Call{Op: "users_list", Method: http.MethodGet, URL: v1}, &out); err != nil {
		return []syncd.Finding{readFailure(err)}
	}
	var fs []syncd.Finding
	for _, s := range owners {
		for _, v := range s.Values {
			i := slices.IndexFunc(out.Data, func(u user) bool { return strconv.FormatInt(u.ID, 10) == v })
			switch {
			case i < 0:
				fs = append(fs, finding(s, "write the id of an active user in "+s.WhereOf(v), "no user with id %q", v))
			case out.Data[i].Active != nil && !*out.Data[i].Active:
				fs = append(fs, finding(s, "write the id of an active user in "+s.WhereOf(v),
					"user %s is deactivated in Pipedrive: the leads given to them would be owned by nobody who works them", v))
			}
		}
	}
	return fs
}

// Setup creates the custom deal and person fields the mappings write that
// are missing (named as the mappings name them, of the declared type, else
// varchar), and the lead-id field. A 40-character key that is missing
// cannot be created: keys are made by Pipedrive. A field that exists of
// another type than the mappings declare is "cannot fix": syncd does not
// change a field's type. A pipeline or stage written that the account
// lacks is "cannot create". It is idempotent; dry only says what it would do.
func (a *Adapter) Setup(ctx context.Context, specs []syncd.FieldSpec, dry bool) ([]syncd.Action, error) {
	if err := a.opts.Pin.Verify(ctx); err != nil {
		return nil, err
	}
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("read fields: %w", err)
	}
	var out []syncd.Action
	for _, s := range a.withLead(specs) {
		if system(s.Kind, s.Name) {
			continue
		}
		act, err := a.setupField(ctx, sc, s, dry)
		if err != nil {
			return out, err
		}
		out = append(out, act)
	}
	// The pipelines and stages written: syncd creates none (they are the
	// sales team's), so one missing leaves setup not done. Before, setup
	// said "done", exit 0, while crm check failed on it and the adapter
	// paused at the first deal.
	for _, f := range a.checkStages(ctx, sc, specs) {
		out = append(out, syncd.Action{Object: f.Object, Name: f.Name, What: "cannot create", Detail: f.Problem + ": " + f.Fix})
	}
	if !dry {
		_ = a.Resolve(ctx) // writes from now on see the new fields
	}
	return out, nil
}

// otherType reports whether a field of type has is of another type than
// the declared one: text types stand for each other (their room is
// checkRoom's), and no declaration takes any type.
func otherType(declared, has string) bool {
	return declared != "" && declared != has && !(slices.Contains(textTypes, declared) && slices.Contains(textTypes, has))
}

func (a *Adapter) setupField(ctx context.Context, sc *schema, s syncd.FieldSpec, dry bool) (syncd.Action, error) {
	act := syncd.Action{Object: objectOfKind[s.Kind], Name: s.Name}
	if f, err := sc.field(s.Kind, s.Name); err == nil {
		act.What, act.Detail = "exists", f.Type+" "+f.Code
		if ownField(f) { // not a custom field: nothing to record or add
			problem, fix := ownOf(s.Kind, s.Name, f, s.Lines())
			act.What, act.Detail = "cannot fix", problem+": "+fix
			return act, nil
		}
		if otherType(s.Type, f.Type) {
			// Not done: every lead's value would be refused alike (the
			// adapter pauses on it, FIELD_TYPE), as crm check says.
			where := s.Where
			if where == "" {
				where = "the mappings"
			}
			act.What, act.Detail = "cannot fix", fmt.Sprintf("exists as %s (key %s), the mappings declare %s (%s): %s",
				f.Type, f.Code, s.Type, where, typeFix(s.Type, f.Type, where))
		}
		if act.What == "cannot fix" { // its key is not the field the mappings mean (usableKey)
			return act, nil
		}
		if err := a.recordKeyUnlessDry(ctx, s, f.Code, dry); err != nil {
			return act, err
		}
		act, err := a.addOptions(ctx, f, s, act, dry)
		if err != nil {
			return act, err
		}
		for _, v := range s.Values {
			if parts := idLike(f, s, v); len(parts) > 0 {
				detail := idFix(f, s, parts, s.WhereOf(v))
				if act.What != "exists" {
					detail = act.What + " " + act.Detail + "; " + detail
				}
				act.What, act.Detail = "cannot create", detail
			}
		}
		return act, nil
	} else if strings.Contains(err.Error(), "fields are named") {
		act.What, act.Detail = "cannot create", err.Error()
		return act, nil
	}
	if f, ok, err := a.renamed(ctx, sc, s); err != nil || ok {
		act.What, act.Detail = "cannot create", renamedProblem(s, f)+": "+a.renamedFix(s, f)
		return act, err
	}
	typ := s.Type
	if typ == "" {
		typ = "varchar"
	}
	problem, fix, own := ownWords(s.Kind, s.Name, s.Name, s.Lines())
	switch near := sc.misspelt(s.Kind, s.Name); {
	case own: // not a custom field of that name, which nobody would read
		act.What, act.Detail = "cannot create", problem+": "+fix
		return act, nil
	case fieldKeyRE.MatchString(s.Name):
		act.What, act.Detail = "cannot create", "a key from another account: write the field's name in "+s.Lines()
		return act, nil
	case near != "": // not a field made under a mistyped name in the agency's account
		act.What, act.Detail = "cannot create", misspeltFix(s, near)
		return act, nil
	case dry:
		act.What, act.Detail = "would create", typ
		return act, nil
	}
	body := map[string]any{"field_name": s.Name, "field_type": typ}
	if len(s.Options) > 0 {
		var opts []map[string]string
		for _, o := range s.Options {
			opts = append(opts, map[string]string{"label": o})
		}
		body["options"] = opts
	}
	var created struct {
		Data field `json:"data"`
	}
	if _, err := a.do(ctx, crm.Call{Op: "fields_create", Method: http.MethodPost, URL: a.url(fieldsPath(s.Kind), nil), Body: body}, &created); err != nil {
		return act, fmt.Errorf("create %s field %q: %w", noun(s.Kind), s.Name, err)
	}
	act.What, act.Detail = "created", typ+" "+created.Data.Code
	return act, a.recordKey(ctx, s, created.Data.Code)
}

func (a *Adapter) recordKeyUnlessDry(ctx context.Context, s syncd.FieldSpec, key string, dry bool) error {
	if dry {
		return nil
	}
	return a.recordKey(ctx, s, key)
}

// missingOptions are the labels of the options the mappings declare for
// an enum or set field (s.Options) or write into it (s.Values) that f
// lacks, each once, in the order the mappings give them.
func missingOptions(f field, s syncd.FieldSpec) []string {
	if f.Type != "enum" && f.Type != "set" {
		return nil
	}
	var out []string
	has := func(label string) bool {
		return slices.ContainsFunc(f.Options, func(o fieldOption) bool { return strings.EqualFold(o.Label, label) }) ||
			slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, label) })
	}
	for _, o := range s.Options {
		if o = strings.TrimSpace(o); o != "" && !has(o) {
			out = append(out, o)
		}
	}
	for _, v := range s.Values {
		parts := []string{v}
		if f.Type == "set" {
			parts = setParts(f, v)
		}
		ids := idLike(f, s, v) // perhaps a deleted option's id: not to be made a label
		for _, p := range parts {
			if _, err := optionID(f, p); err != nil && p != "" && !has(p) && !slices.Contains(ids, strings.TrimSpace(p)) {
				out = append(out, p)
			}
		}
	}
	return out
}

// setParts cuts a set field's value into the options written, as setIDs
// reads it.
func setParts(f field, v string) []string {
	var out []string
	for rest := v; ; {
		rest = strings.TrimLeft(rest, " \t;,")
		if rest == "" {
			return out
		}
		part := nextOption(f, rest)
		out = append(out, strings.TrimSpace(part))
		rest = rest[len(part):]
	}
}

// addOptions adds to the enum or set field f the options the mappings
// declare or write that it lacks (Fields API v2, POST
// /{object}Fields/{field_code}/options): before, setup said the field
// "exists" and "done", exit 0, while crm check named the missing option
// and every lead carrying it paused the adapter. act is the field's row,
// returned with what was (or would be) added.
func (a *Adapter) addOptions(ctx context.Context, f field, s syncd.FieldSpec, act syncd.Action, dry bool) (syncd.Action, error) {
	missing := missingOptions(f, s)
	if len(missing) == 0 {
		return act, nil
	}
	quoted := make([]string, len(missing))
	body := make([]map[string]string, len(missing))
	for i, o := range missing {
		quoted[i], body[i] = strconv.Quote(o), map[string]string{"label": o}
	}
	if dry {
		act.What, act.Detail = "would add options", fmt.Sprintf("%s %s: %s", f.Type, f.Code, strings.Join(quoted, ", "))
		return act, nil
	}
	path := fieldsPath(s.Kind) + "/" + url.PathEscape(f.Code) + "/options"
	if _, err := a.do(ctx, crm.Call{Op: "fields_options_add", Method: http.MethodPost, URL: a.url(path, nil), Body: body}, nil); err != nil {
		return act, fmt.Errorf("add options %s to %s field %q: %w", strings.Join(quoted, ", "), noun(s.Kind), f.Name, err)
	}
	act.What, act.Detail = "added options", fmt.Sprintf("%s %s: %s", f.Type, f.Code, strings.Join(quoted, ", "))
	return act, nil
}
