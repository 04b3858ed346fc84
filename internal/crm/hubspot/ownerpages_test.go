package hubspot_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckReadsEveryPageOfOwners: HubSpot lists an account's owners a
// page at a time (paging.next.after). The check read the first page only,
// so on an account with more owners than a page holds, a mapping that
// gave the leads to an owner on a later page failed the check ("owner
// does not exist": exit 1, and the daemon's alarm) for an owner HubSpot
// has. Every page is read now; an owner on none is still an error.
func TestCheckReadsEveryPageOfOwners(t *testing.T) {
	t.Parallel()
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	var ids []string
	for i := range 1200 {
		ids = append(ids, strconv.Itoa(5000+i))
	}
	srv.SetOwners(ids...)
	owner := func(id string) syncd.FieldSpec {
		return syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "hubspot_owner_id", Values: []string{id}, Where: "eaf.yaml:9"}
	}
	for _, tc := range []struct {
		id      string
		missing bool
	}{{"5001", false}, {"6150", false}, {"9999", true}} {
		fs, err := a.Check(context.Background(), append(specs(), owner(tc.id)))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			if f.Name == "hubspot_owner_id" {
				found = true
				if !tc.missing || f.Severity != syncd.SevError || !strings.Contains(f.Problem, tc.id) {
					t.Errorf("owner %s: %+v", tc.id, f)
				}
			}
		}
		if tc.missing && !found {
			t.Errorf("owner %s, on no page: no finding in %+v", tc.id, fs)
		}
	}
	// 3 pages each, and the one of deactivated owners (archived=true) for
	// the owner on no page, to tell it from one deactivated.
	if n := srv.CountRequests(http.MethodGet, "/crm/v3/owners", 200); n != 10 {
		t.Errorf("%d pages of owners read for 3 checks, want 3 each and 1 of the deactivated ones", n)
	}
}
