package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// input is one record of a batch upsert. TraceID is unique within its
// batch: HubSpot names it in the errors of a 207 and may echo it in results.
type input struct {
	ID         string            `json:"id"`
	IDProperty string            `json:"idProperty"`
	Properties map[string]string `json:"properties"`
	TraceID    string            `json:"objectWriteTraceId,omitempty"`
}

type object struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	TraceID    string            `json:"objectWriteTraceId"`
}

type batchError struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context"`
	// Errors are the error's details, kept as they came: read only for
	// the scopes a MISSING_SCOPES error names (see itemScopes).
	Errors json.RawMessage `json:"errors"`
}

type batchAnswer struct {
	Status  string       `json:"status"`
	Results []object     `json:"results"`
	Errors  []batchError `json:"errors"`
}

// normID is how HubSpot compares ids of a batch: emails case-insensitively.
func normID(idProp, id string) string {
	if idProp == "email" {
		return strings.ToLower(strings.TrimSpace(id))
	}
	return id
}

// upsert sends inputs (unique ids, any number) in batches and returns a
// Result per normalized id.
func (a *Adapter) upsert(ctx context.Context, object string, inputs []input) map[string]syncd.Result {
	out := make(map[string]syncd.Result, len(inputs))
	for len(inputs) > 0 {
		n := min(len(inputs), a.opts.BatchSize)
		a.upsertBatch(ctx, object, inputs[:n], out)
		inputs = inputs[n:]
	}
	return out
}

// upsertBatch sends one batch. A rejected batch may be rejected for one
// bad input: see split. Results HubSpot answered but that cannot be
// matched to their input for sure are resent alone (see match).
func (a *Adapter) upsertBatch(ctx context.Context, object string, inputs []input, out map[string]syncd.Result) {
	idProp := inputs[0].IDProperty
	for i := range inputs {
		inputs[i].TraceID = "syncd-" + strconv.Itoa(i)
	}
	resp, err := a.http.Do(ctx, crm.Call{
		Op: object + "_batch_upsert", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v3/objects/" + object + "/batch/upsert",
		JSON: upsertBody(inputs),
	})
	if err != nil {
		setAll(out, idProp, inputs, err)
		return
	}
	if resp.Status != http.StatusOK && resp.Status != http.StatusMultiStatus && resp.Status != http.StatusCreated {
		if ce := a.classify(resp); !a.split(ctx, object, inputs, out, resp, ce) {
			setAll(out, idProp, inputs, ce)
		}
		return
	}
	ans, err := decodeBatch(resp)
	if err != nil {
		setAll(out, idProp, inputs, err)
		return
	}
	unsure := a.match(ctx, object, inputs, ans, resp.Status, out)
	if len(inputs) == 1 {
		setAll(out, idProp, unsure, crm.RetryErr(object+" batch upsert: no result for the input"))
		return
	}
	for _, in := range unsure {
		// Alone in its batch, its result cannot be taken for another's.
		a.upsertBatch(ctx, object, []input{in}, out)
	}
}

// match records the results and errors of a batch answer in out, pairing
// each with its input by what identifies it for sure: the echoed trace id,
// the echoed id property, an email the record holds as a secondary email
// (a merged contact), or the CRM id already linked to the input; a last
// input and a last result left over once every other was paired belong
// together. It never pairs by position: HubSpot does not promise an order.
// It returns the inputs left without a result.
func (a *Adapter) match(ctx context.Context, obj string, inputs []input, ans batchAnswer, status int, out map[string]syncd.Result) []input {
	idProp := inputs[0].IDProperty
	open := make(map[string]input, len(inputs)) // by normalized id
	byTrace := make(map[string]string, len(inputs))
	for _, in := range inputs {
		open[normID(idProp, in.ID)] = in
		byTrace[in.TraceID] = normID(idProp, in.ID)
	}
	take := func(id string, r syncd.Result) bool {
		if _, ok := open[id]; !ok {
			return false
		}
		out[id] = r
		delete(open, id)
		return true
	}
	errorsMatched := true
	for _, e := range ans.Errors {
		errorsMatched = a.matchError(obj, idProp, e, status, open, byTrace, take) && errorsMatched
	}
	var rest []object
	for _, r := range ans.Results {
		if !take(byTrace[r.TraceID], syncd.Result{ID: r.ID}) && !a.takeByProperty(idProp, r, take) {
			rest = append(rest, r)
		}
	}
	rest = a.takeByLink(ctx, obj, rest, open, take)
	if len(rest) == 1 && len(open) == 1 && errorsMatched {
		for id := range open {
			take(id, syncd.Result{ID: rest[0].ID})
		}
	}
	left := make([]input, 0, len(open))
	for _, in := range inputs {
		if _, ok := open[normID(idProp, in.ID)]; ok {
			left = append(left, in)
		}
	}
	return left
}

// itemClass is what one input's error in a 207 is, by its category:
// HubSpot's own failure of that input (INTERNAL_ERROR, RATE_LIMITS, or no
// category said) may pass when tried again; any other (VALIDATION_ERROR,
// CONFLICT, an association limit reached or an association type the
// account does not allow) refuses that record alone, and trying it again
// gets the same answer. Callers tell a missing record (OBJECT_NOT_FOUND)
// and a property the account lacks apart first.
func itemClass(category string) syncd.ErrClass {
	if category == "" || strings.Contains(category, "RATE_LIMIT") || category == "INTERNAL_ERROR" {
		return syncd.ErrRetry
	}
	return syncd.ErrPermanent
}

// matchError records one error of a 207 against the inputs it names (of
// open, by trace id or id); it reports whether it named any.
func (a *Adapter) matchError(obj, idProp string, e batchError, status int, open map[string]input, byTrace map[string]string, take func(string, syncd.Result) bool) bool {
	var ids []string
	for _, t := range e.Context["objectWriteTraceId"] {
		ids = append(ids, byTrace[t])
	}
	for _, id := range e.Context["ids"] {
		ids = append(ids, normID(idProp, id))
	}
	var ins []input
	for _, id := range ids {
		if in, ok := open[id]; ok {
			ins = append(ins, in)
		}
	}
	ce := a.itemError(obj, idProp, e, status, ins)
	named := false
	for _, id := range ids {
		named = take(id, syncd.Result{Err: ce}) || named
	}
	return named
}

// itemError is the error of a 207 for the inputs ins it names, classed by
// its category (itemClass) unless its message says more. What fails every
// lead alike is the account's fault (ErrConfig), as in a 400 (see split),
// not the inputs': a property missing, calculated, or a pipeline, stage or
// owner not an option (accountRefusal), and a value refused for its type
// in the property syncd upserts by, or in one whose type the mappings
// declare when the declared type takes every such input's value
// (declaredTakes). HubSpot answers a type refusal so (a 207 naming one
// input: HubSpot/hubspot-api-ruby#403). A scope the private app lacks
// (MISSING_SCOPES) is the account's too, as a 403's (scopesItemError).
func (a *Adapter) itemError(obj, idProp string, e batchError, status int, ins []input) *syncd.CRMError {
	if e.Category == categoryScopes {
		return scopesItemError(e, obj)
	}
	ce := &syncd.CRMError{Status: status, Code: e.Category, Message: e.Message, Class: itemClass(e.Category)}
	if list := refusedIn(e.Message); len(list) > 0 && list[0].Error != "" {
		ce.Code, ce.Property = list[0].Error, list[0].Name // the field and why, for the dead letter
	}
	if r, ok := accountRefusal(e.Message); ok {
		ce.Class, ce.Code, ce.Property = syncd.ErrConfig, r.Error, r.Name
	} else if r, ok := typeRefusedIn(e.Message); ok && len(ins) > 0 && (r.Name == idProp || a.declaredTakes(obj, r.Name, ins)) {
		ce.Class, ce.Code, ce.Property = syncd.ErrConfig, r.Error, r.Name
	}
	return ce
}

// takeByProperty pairs a result by its echoed id property or, for contacts
// upserted on email, by an email it now holds as a secondary one.
func (a *Adapter) takeByProperty(idProp string, r object, take func(string, syncd.Result) bool) bool {
	if v := r.Properties[idProp]; v != "" && take(normID(idProp, v), syncd.Result{ID: r.ID}) {
		return true
	}
	if idProp != "email" {
		return false
	}
	for _, e := range strings.Split(r.Properties["hs_additional_emails"], ";") {
		if e != "" && take(normID(idProp, e), syncd.Result{ID: r.ID}) {
			return true
		}
	}
	return false
}

// takeByLink pairs results with the inputs whose CRM id is already linked
// to that result's id; it returns the results still unpaired.
func (a *Adapter) takeByLink(ctx context.Context, obj string, rest []object, open map[string]input, take func(string, syncd.Result) bool) []object {
	if len(rest) == 0 || len(open) == 0 {
		return rest
	}
	kind := syncd.RecordDeal
	if obj == "contacts" {
		kind = syncd.RecordContact
	}
	inputs := make([]input, 0, len(open))
	for _, in := range open {
		inputs = append(inputs, in)
	}
	links := a.linksOf(ctx, kind, inputs)
	byLink := make(map[string]string, len(links))
	for id, in := range open {
		if l := links[in.ID]; l != "" {
			byLink[l] = id
		}
	}
	var left []object
	for _, r := range rest {
		if id, ok := byLink[r.ID]; !ok || !take(id, syncd.Result{ID: r.ID}) {
			left = append(left, r)
		}
	}
	return left
}

func setAll(out map[string]syncd.Result, idProp string, inputs []input, err error) {
	for _, in := range inputs {
		out[normID(idProp, in.ID)] = syncd.Result{Err: err}
	}
}

// fromPayload reports whether an invalid option p is a value from the
// payload rather than the account's fault: the mappings fill the property
// from the payload and write no such constant into it. Pipelines, stages
// and owners are left to the syncer's check (see split).
func (a *Adapter) fromPayload(object string, p problem) bool {
	kind := syncd.RecordDeal
	if object == "contacts" {
		kind = syncd.RecordContact
	}
	f, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: p.property}]
	return ok && p.value != "" && f.Dynamic && !accountOptions(p.property) && !slices.Contains(f.Values, p.value)
}

// declaredTakes reports whether the mappings declare a type for prop (of
// object) and every input's value of it is one that type takes: HubSpot
// refusing such a value for its type holds the property as another type
// (an admin made a declared datetime a date picker, say), which crm check
// calls an error. Before, every lead was dead-lettered as if its own value
// were wrong, each batch halved down to single inputs.
func (a *Adapter) declaredTakes(object, prop string, inputs []input) bool {
	kind := syncd.RecordDeal
	if object == "contacts" {
		kind = syncd.RecordContact
	}
	f, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: prop}]
	if !ok || f.Type == "" {
		return false
	}
	for _, in := range inputs {
		if v := in.Properties[prop]; v != "" && ValueProblem(f.Type, v) != "" {
			return false
		}
	}
	return true
}

// split handles a batch rejected as a whole with ce. A 4xx that blames
// the input (400, 409, 422, ...: ErrPermanent) may be about one input, so
// the batch is split in halves until the bad input is alone and only it is
// dead-lettered. A configuration error (ErrConfig) is the account's, not an
// input's: every input would fail alike, so it is not split, except for an
// invalid option that only some inputs carry (see blame), or that every
// input carries from the payload (fromPayload): the others are
// sent again, and those are dead-lettered, unless the option is a pipeline,
// stage or owner, which the account may have deleted under the mappings:
// those stay ErrConfig, and the syncer's check tells the account's fault
// (a pause naming it) from the record's own (a dead letter once the check
// passes). A value refused for its type in the property syncd upserts by
// (its own lead id, in a number property made by hand) is the account's
// too: every input carries such a value. So is one refused for its type in
// a property whose type the mappings declare, when every input's value is
// one the declared type takes (declaredTakes). So is a property refused
// that no input carries and the mappings do not write
// (unwrittenRequired). split reports whether it took the batch.
func (a *Adapter) split(ctx context.Context, object string, inputs []input, out map[string]syncd.Result, resp *crm.Response, ce *syncd.CRMError) bool {
	if prop := typeRefused(resp); prop != "" && (prop == inputs[0].IDProperty || a.declaredTakes(object, prop, inputs)) {
		ce.Class, ce.Property = syncd.ErrConfig, prop
		return false
	}
	if ce.Class == syncd.ErrConfig {
		p, _ := configProblem(resp)
		bad, good := blame(inputs, p)
		if len(bad) == 0 || (len(good) == 0 && !a.fromPayload(object, p)) {
			return false
		}
		if a.takenSinceRead(ctx, object, bad) { // the property was changed since it was read
			a.upsertBatch(ctx, object, inputs, out)
			return true
		}
		own := *ce
		if !accountOptions(p.property) {
			own.Class = syncd.ErrPermanent
		}
		setAll(out, inputs[0].IDProperty, bad, &own)
		if len(good) > 0 {
			a.upsertBatch(ctx, object, good, out)
		}
		return true
	}
	if ce.Class == syncd.ErrPermanent {
		props := make([]map[string]string, len(inputs))
		for i, in := range inputs {
			props[i] = in.Properties
		}
		if req := a.unwrittenRequired(object, resp, ce, props...); req != nil {
			*ce = *req
			return false
		}
	}
	if ce.Class != syncd.ErrPermanent || len(inputs) < 2 {
		return false
	}
	half := len(inputs) / 2
	a.upsertBatch(ctx, object, inputs[:half], out)
	a.upsertBatch(ctx, object, inputs[half:], out)
	return true
}
