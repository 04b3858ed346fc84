package crmfake_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPipedriveVisibilityThePlanTakes: Pipedrive takes a record's
// visible_to of 1, 3, 5 or 7, 5 and 7 only on plans with visibility
// groups, and answers a wrong one with 403 (docs/crm-contracts.md
// [pd-vis-values][pd-vis-403]). The fake took any value, so a trial never
// showed what syncd does with one the plan refuses.
func TestPipedriveVisibilityThePlanTakes(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok"})
	person := call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann", "visible_to": 7})
	if person.status != 200 {
		t.Fatalf("a person visible to 7 with visibility groups: %d %s", person.status, person.raw)
	}
	id := person.body["data"].(map[string]any)["id"]
	pid := fmt.Sprint(id)
	for _, tc := range []struct {
		groups  bool
		v       int
		refused bool
	}{{true, 2, true}, {true, 5, false}, {false, 5, true}, {false, 7, true}, {false, 3, false}, {false, 1, false}} {
		srv.SetPDVisibilityGroups(tc.groups)
		deal := call(t, "POST", base+"/deals", "tok", map[string]any{"title": "T", "person_id": id, "visible_to": tc.v})
		patch := call(t, "PATCH", base+"/persons/"+pid, "tok", map[string]any{"visible_to": tc.v})
		for what, a := range map[string]int{"deal create": deal.status, "person update": patch.status} {
			if tc.refused != (a == 403) || !tc.refused && a != 200 {
				t.Errorf("groups %v, visible_to %d, %s: %d", tc.groups, tc.v, what, a)
			}
		}
		if tc.refused && (deal.body["success"] != false || !strings.Contains(fmt.Sprint(deal.body["error"]), "visibility")) {
			t.Errorf("refused: %s", deal.raw)
		}
	}
}

// TestPipedriveCurrencies: GET /api/v1/currencies lists the account's
// currencies, ISO 4217 and custom, active or turned off
// (docs/crm-contracts.md [pd-currencies]).
func TestPipedriveCurrencies(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok"})
	v1 := strings.TrimSuffix(base, "/v2") + "/v1/currencies"
	codes := func() string {
		a := call(t, "GET", v1, "tok", nil)
		var out []string
		for _, c := range a.body["data"].([]any) {
			m := c.(map[string]any)
			out = append(out, fmt.Sprintf("%v:%v", m["code"], m["active_flag"]))
		}
		return strings.Join(out, ",")
	}
	if got := codes(); !strings.Contains(got, "DKK:true") || !strings.Contains(got, "EUR:true") {
		t.Fatalf("a fresh account's currencies: %s", got)
	}
	srv.SetPDCurrencies([]crmfake.PDCurrency{{ID: 1, Code: "DKK", Active: true}, {ID: 9, Code: "SQM", Custom: true}})
	if got := codes(); got != "DKK:true,SQM:false" {
		t.Fatalf("set currencies: %s", got)
	}
}
