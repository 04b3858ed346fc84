package crmfake_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestAssociationLimitRefusesTheDealsPastIt: with DealsPerContact set, a
// contact holds at most that many deals: a batch association past it
// answers 207, the deals past it each refused by a VALIDATION_ERROR
// naming it, and the single PUT 400; a pair already associated is taken
// again.
func TestAssociationLimitRefusesTheDealsPastIt(t *testing.T) {
	srv, base := start(t, crmfake.Options{DealsPerContact: 2})
	c := srv.AddContact(crmfake.Record{Email: "a@x.com", Properties: map[string]string{"email": "a@x.com"}})
	var deals []string
	var in []map[string]any
	for i := range 3 {
		d := srv.AddDeal(crmfake.Record{LeadID: fmt.Sprint("l", i)})
		deals = append(deals, d)
		in = append(in, map[string]any{"from": map[string]string{"id": d}, "to": map[string]string{"id": c}})
	}
	a := call(t, "POST", base+"/crm/v4/associations/deals/contacts/batch/associate/default", "", map[string]any{"inputs": in})
	var ans struct {
		Results []json.RawMessage
		Errors  []struct {
			Category string
			Context  map[string][]string
		}
	}
	if a.status != 207 || json.Unmarshal([]byte(a.raw), &ans) != nil || len(ans.Results) != 2 || len(ans.Errors) != 1 {
		t.Fatalf("answer %d %s", a.status, a.raw)
	}
	if e := ans.Errors[0]; e.Category != "VALIDATION_ERROR" || fmt.Sprint(e.Context["ids"]) != "["+deals[2]+"]" {
		t.Fatalf("error %+v", e)
	}
	put := func(d string) int {
		return call(t, "PUT", base+"/crm/v4/objects/deal/"+d+"/associations/default/contact/"+c, "", nil).status
	}
	if got := put(deals[2]); got != 400 {
		t.Errorf("PUT of the deal past the limit: %d, want 400", got)
	}
	if got := put(deals[0]); got != 200 {
		t.Errorf("PUT of a deal associated already: %d, want 200", got)
	}
}
