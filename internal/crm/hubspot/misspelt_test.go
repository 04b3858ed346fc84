package hubspot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCheckAndSetupNameThePropertyAMisspeltOneMeans: an operator wrote
// compnay: in a mapping. The check said "property compnay does not exist
// on contacts", fix "create it on contacts in HubSpot, or stop writing it",
// and setup "create it in HubSpot or stop writing it": a newcomer created
// a property compnay beside company, and the leads' companies went there.
// Both now ask whether company is meant; "Phone 2" beside phone is no
// misspelling.
func TestCheckAndSetupNameThePropertyAMisspeltOneMeans(t *testing.T) {
	t.Parallel()
	_, a := setup(t, crmfake.Options{}, hubspot.Options{})
	ctx := context.Background()
	where := "hubspot/lokalebasen.yaml:32"
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "email", Dynamic: true},
		{Kind: syncd.RecordContact, Name: "compnay", Dynamic: true, Where: where},
		{Kind: syncd.RecordContact, Name: "phone_2", Dynamic: true, Where: where},
	}
	fs, err := a.Check(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	p := problems(fs)
	if want := "did you mean company, a property of contacts? write it so in " + where +
		"; if compnay is meant, create it on contacts in HubSpot"; !strings.Contains(p["compnay"], want) {
		t.Errorf("check of compnay: %q, want %q", p["compnay"], want)
	}
	if strings.Contains(p["phone_2"], "did you mean") {
		t.Errorf("check of phone_2 beside phone: %q", p["phone_2"])
	}
	acts, err := a.Setup(ctx, specs, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range acts {
		if act.Name == "compnay" && (act.What != "cannot create" || !strings.Contains(act.Detail, "did you mean company")) {
			t.Errorf("setup of compnay: %+v", act)
		}
	}
}
