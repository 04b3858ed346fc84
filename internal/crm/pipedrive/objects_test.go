package pipedrive_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestReadObjectsTellsThePersonsAPIDown: the syncer's stuck-batch probe
// reads the persons API (ReadObjects) beside the account check, whose
// reads (fields, pipelines, users) answer while that API is down: it
// fails then, after one request, and passes once the API answers.
func TestReadObjectsTellsThePersonsAPIDown(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	ctx := crm.SendOnce(context.Background())
	srv.AddFault(crmfake.Fault{Path: "/api/v2/persons/**", Action: crmfake.ActError, Status: 504})
	if err := a.ReadObjects(ctx); err == nil {
		t.Error("ReadObjects with the persons API answering 504 = nil; want an error")
	}
	if n := srv.CountRequests("GET", "/api/v2/persons", 0); n != 1 {
		t.Errorf("ReadObjects sent %d requests; want 1", n)
	}
	srv.ClearFaults()
	if err := a.ReadObjects(ctx); err != nil {
		t.Errorf("ReadObjects with the persons API up = %v; want nil", err)
	}
}
