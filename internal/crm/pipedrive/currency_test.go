package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckNamesACurrencyTheAccountLacks: the mappings wrote a deal's
// currency "DKR" (for DKK), "dkk", a custom currency an admin has turned
// off, and an amount "450000 XTS" into a monetary field. crm check called
// the account ready, and every lead's deal carried a currency the account
// does not use. It now names each, with the code meant when one letter or
// the case is off; the account's own codes pass.
func TestCheckNamesACurrencyTheAccountLacks(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Asking price", Type: "monetary"})
	srv.SetPDCurrencies([]crmfake.PDCurrency{{ID: 1, Code: "DKK", Active: true}, {ID: 2, Code: "EUR", Active: true},
		{ID: 3, Code: "SQM", Active: false, Custom: true}})
	check := func(specs ...syncd.FieldSpec) []syncd.Finding {
		t.Helper()
		fs, err := a.Check(context.Background(), specs)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	cur := func(v, where string) syncd.FieldSpec {
		return syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "currency", Values: []string{v}, Where: where}
	}
	for _, tc := range []struct {
		spec          syncd.FieldSpec
		problem, said string
	}{
		{cur("DKR", "pipedrive/eaf.yaml:40"), `no currency with code "DKR"`, "did you mean DKK? write it so in pipedrive/eaf.yaml:40"},
		{cur("dkk", "pipedrive/eaf.yaml:41"), `no currency with code "dkk"`, "did you mean DKK?"},
		{cur("SQM", "pipedrive/eaf.yaml:42"), "currency SQM is turned off", "pipedrive/eaf.yaml:42"},
		{syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "Asking price", Type: "monetary", Values: []string{"450000 XTS"}, Where: "pipedrive/eaf.yaml:43"},
			`no currency with code "XTS"`, "as EUR) in pipedrive/eaf.yaml:43"},
	} {
		fs := check(tc.spec)
		e := errorsOf(fs)[tc.spec.Name]
		if !strings.Contains(e, tc.problem) || !strings.Contains(e, tc.said) {
			t.Errorf("%s %v: %+v", tc.spec.Name, tc.spec.Values, fs)
		}
	}
	if fs := check(cur("EUR", "pipedrive/eaf.yaml:40"), syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "Asking price", Type: "monetary",
		Values: []string{"450000 DKK"}}); syncd.Failed(fs) {
		t.Fatalf("the account's currencies: %+v", fs)
	}
	srv.AddFault(crmfake.Fault{Path: "/api/v1/currencies", Action: crmfake.ActError, Status: 503})
	if fs := check(cur("DKR", "pipedrive/eaf.yaml:40")); syncd.Failed(fs) || !strings.Contains(warningsOf(fs)["currencies"], "not checked") {
		t.Fatalf("the currencies not read: %+v", fs)
	}
}
