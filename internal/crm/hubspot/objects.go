package hubspot

import (
	"context"
	"net/http"

	"github.com/syncd-dev/syncd/internal/crm"
)

// probeEmail is the contact ReadObjects asks for: none has it (.invalid
// is reserved), and none need exist for the objects API to answer.
const probeEmail = "syncd-probe@example.invalid"

// ReadObjects reads one contact by email through the objects API's batch
// read, the API the syncer's batches go to, and returns nil when HubSpot
// answered it (200, or 207 for a contact not found). The account check
// reads other APIs, which may answer while this one is down: the syncer's
// stuck-batch probe asks both (syncd.ObjectsReader).
func (a *Adapter) ReadObjects(ctx context.Context) error {
	resp, err := a.http.Do(ctx, crm.Call{
		Op: "contacts_batch_read", Method: http.MethodPost, Safe: true, Header: a.header(),
		URL:  a.opts.BaseURL + "/crm/v3/objects/contacts/batch/read",
		JSON: readBody("email", []input{{ID: probeEmail}}),
	})
	if err != nil {
		return err
	}
	if resp.Status != http.StatusOK && resp.Status != http.StatusMultiStatus {
		return a.classify(resp)
	}
	return nil
}
