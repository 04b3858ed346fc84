package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetupMakesNoFieldUnderAMisspeltName: the agency's account has a
// person field Company; an operator wrote "Compnay" in a mapping. The
// check said `no person field named "Compnay"`, fix "run syncd crm
// setup", and setup created a field Compnay beside Company in the
// agency's Pipedrive, where the leads' companies then went. The check now
// asks whether Company is meant, and setup creates no such field; a field
// that only adds to another's name ("Company 2") is still created.
func TestSetupMakesNoFieldUnderAMisspeltName(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("person", crmfake.Field{Name: "Company", Type: "varchar"})
	ctx := context.Background()
	where := "pipedrive/lokalebasen.yaml:30"
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "name", Dynamic: true},
		{Kind: syncd.RecordContact, Name: "Compnay", Dynamic: true, Where: where},
		{Kind: syncd.RecordContact, Name: "Company 2", Dynamic: true, Where: where},
	}
	fs, err := a.Check(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	p := errorsOf(fs)
	if want := `did you mean "Company", a person field? write it so in ` + where; !strings.Contains(p["Compnay"], want) {
		t.Errorf("check of Compnay: %q, want %q", p["Compnay"], want)
	}
	if !strings.Contains(p["Company 2"], "crm setup") {
		t.Errorf("check of Company 2: %q, want crm setup", p["Company 2"])
	}
	acts, err := a.Setup(ctx, specs, false)
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]string{}
	for _, act := range acts {
		made[act.Name] = act.What + ": " + act.Detail
	}
	if !strings.HasPrefix(made["Compnay"], `cannot create: did you mean "Company"`) || !strings.HasPrefix(made["Company 2"], "created") {
		t.Errorf("setup: %v", made)
	}
	for _, f := range srv.Fields("person") {
		if f.Name == "Compnay" {
			t.Errorf("setup created a person field Compnay beside Company")
		}
	}
}
