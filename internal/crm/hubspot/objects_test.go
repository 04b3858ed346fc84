package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
)

// TestReadObjectsTellsTheObjectsAPIDown: the syncer's stuck-batch probe
// reads the objects API (ReadObjects: a batch read of one contact none
// has) beside the account check, whose reads (token, properties,
// pipelines) answer while that API is down: it fails then, after one
// request, and passes once the API answers (a 207 for the contact not
// found).
func TestReadObjectsTellsTheObjectsAPIDown(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := crm.SendOnce(context.Background())
	srv.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 504})
	if err := a.ReadObjects(ctx); err == nil {
		t.Error("ReadObjects with the objects API answering 504 = nil; want an error")
	}
	if n := srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/read", 0); n != 1 {
		t.Errorf("ReadObjects sent %d requests; want 1", n)
	}
	srv.ClearFaults()
	if err := a.ReadObjects(ctx); err != nil {
		t.Errorf("ReadObjects with the objects API up = %v; want nil", err)
	}
}
