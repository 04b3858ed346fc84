package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// input is one record of a batch upsert.
type input struct {
	ID         string            `json:"id"`
	IDProperty string            `json:"idProperty"`
	Properties map[string]string `json:"properties"`
}

type object struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
}

type batchAnswer struct {
	Status  string   `json:"status"`
	Results []object `json:"results"`
	Errors  []struct {
		Status   string              `json:"status"`
		Category string              `json:"category"`
		Message  string              `json:"message"`
		Context  map[string][]string `json:"context"`
	} `json:"errors"`
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
// bad input: see split.
func (a *Adapter) upsertBatch(ctx context.Context, object string, inputs []input, out map[string]syncd.Result) {
	idProp := inputs[0].IDProperty
	resp, err := a.http.Do(ctx, crm.Call{
		Op: object + "_batch_upsert", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v3/objects/" + object + "/batch/upsert",
		Body: map[string]any{"inputs": inputs},
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
	var ans batchAnswer
	if err := crm.DecodeJSON(resp, &ans); err != nil {
		setAll(out, idProp, inputs, err)
		return
	}
	for _, e := range ans.Errors {
		ce := &syncd.CRMError{Status: resp.Status, Code: e.Category, Message: e.Message, Class: syncd.ErrPermanent}
		if e.Category == "" || strings.Contains(e.Category, "RATE_LIMIT") || e.Category == "INTERNAL_ERROR" {
			ce.Class = syncd.ErrRetry
		}
		for _, id := range e.Context["ids"] {
			out[normID(idProp, id)] = syncd.Result{Err: ce}
		}
	}
	matched := 0
	for _, r := range ans.Results {
		if id := r.Properties[idProp]; id != "" {
			out[normID(idProp, id)] = syncd.Result{ID: r.ID}
			matched++
		}
	}
	if matched == 0 && len(ans.Results) == len(inputs) && len(ans.Errors) == 0 {
		// The answer did not echo the id property: fall back to input order.
		for i, r := range ans.Results {
			out[normID(idProp, inputs[i].ID)] = syncd.Result{ID: r.ID}
		}
	}
	for _, in := range inputs {
		if _, ok := out[normID(idProp, in.ID)]; !ok {
			out[normID(idProp, in.ID)] = syncd.Result{Err: crm.RetryErr(fmt.Sprintf("%s batch upsert: no result for an input", object))}
		}
	}
}

func setAll(out map[string]syncd.Result, idProp string, inputs []input, err error) {
	for _, in := range inputs {
		out[normID(idProp, in.ID)] = syncd.Result{Err: err}
	}
}

// split handles a batch rejected as a whole with ce. A 4xx that blames
// the input (400, 409, 422, ...: ErrPermanent) may be about one input, so
// the batch is split in halves until the bad input is alone and only it is
// dead-lettered. A configuration error (ErrConfig) is the account's, not an
// input's: every input would fail alike, so it is not split, except for an
// invalid option that only some inputs carry (see blame). split reports
// whether it took the batch.
func (a *Adapter) split(ctx context.Context, object string, inputs []input, out map[string]syncd.Result, resp *crm.Response, ce *syncd.CRMError) bool {
	if ce.Class == syncd.ErrConfig {
		p, _ := configProblem(resp)
		bad, good := blame(inputs, p)
		if len(bad) == 0 || len(good) == 0 {
			return false
		}
		perm := *ce
		perm.Class = syncd.ErrPermanent
		setAll(out, inputs[0].IDProperty, bad, &perm)
		a.upsertBatch(ctx, object, good, out)
		return true
	}
	if ce.Class != syncd.ErrPermanent || len(inputs) < 2 {
		return false
	}
	half := len(inputs) / 2
	a.upsertBatch(ctx, object, inputs[:half], out)
	a.upsertBatch(ctx, object, inputs[half:], out)
	return true
}
