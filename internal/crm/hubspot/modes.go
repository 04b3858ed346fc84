package hubspot

import (
	"context"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// upsertKeeping is upsert that keeps what people changed in HubSpot: when
// the mapping makes some properties of kind create-only (dealstage,
// pipeline, lifecyclestage, ...), the records that already exist are read
// first (one batch read per batch) and sent without them.
func (a *Adapter) upsertKeeping(ctx context.Context, object string, kind syncd.RecordKind, inputs []input) map[string]syncd.Result {
	if len(inputs) == 0 || !a.hasCreateOnly(kind) {
		return a.upsert(ctx, object, inputs)
	}
	out := make(map[string]syncd.Result, len(inputs))
	for len(inputs) > 0 {
		n := min(len(inputs), a.opts.BatchSize)
		batch := inputs[:n]
		if err := a.dropCreateOnly(ctx, object, kind, batch); err != nil {
			setAll(out, batch[0].IDProperty, batch, err)
		} else {
			a.upsertBatch(ctx, object, batch, out)
		}
		inputs = inputs[n:]
	}
	return out
}

func (a *Adapter) hasCreateOnly(kind syncd.RecordKind) bool {
	for _, m := range a.writeModes()[kind] {
		if m == syncd.WriteCreate {
			return true
		}
	}
	return false
}

// dropCreateOnly reads which inputs exist and takes their create-only
// properties out.
func (a *Adapter) dropCreateOnly(ctx context.Context, object string, kind syncd.RecordKind, batch []input) error {
	idProp := batch[0].IDProperty
	resp, err := a.http.Do(ctx, crm.Call{
		Op: object + "_batch_read", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v3/objects/" + object + "/batch/read",
		JSON: readBody(idProp, batch),
	})
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK && resp.Status != http.StatusMultiStatus {
		return a.classify(resp) // a rejected token pauses the adapter as on any call
	}
	ans, err := decodeBatch(resp)
	if err != nil {
		return err
	}
	exists := map[string]bool{}
	for _, r := range ans.Results {
		exists[normID(idProp, r.Properties[idProp])] = true
	}
	for i := range batch {
		if exists[normID(idProp, batch[i].ID)] {
			batch[i].Properties = a.writeModes().OnUpdate(kind, batch[i].Properties)
		}
	}
	return nil
}
