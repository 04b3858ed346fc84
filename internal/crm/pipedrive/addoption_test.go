package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSetupAddsTheOptionsAFieldLacks: an enum and a set field made by hand
// in Pipedrive with some of the options the mappings declare or write.
// crm check named each missing option, and setup said the fields "exist"
// (and, on the command line, "done", exit 0): every lead carrying such an
// option then paused the adapter. Now setup adds the options (after a
// dry run that says which and adds none), once: the check then passes,
// and a second setup adds nothing.
func TestSetupAddsTheOptionsAFieldLacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}}})
	srv.AddField("deal", crmfake.Field{Name: "Premises", Type: "set", Options: []crmfake.PDOption{{Label: "Office, large"}}})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: "enum", Options: []string{"client", "extra"}, Values: []string{"Extra", "viewing"}, Where: "x.yaml:3"},
		{Kind: syncd.RecordDeal, Name: "Premises", Type: "set", Values: []string{"Office, large; Retail", "retail,Shop"}, Where: "x.yaml:4"},
	}
	fs, err := a.Check(ctx, specs)
	if err != nil || !strings.Contains(errorsOf(fs)["Enquiry type"], "run `syncd crm setup`, which adds") || errorsOf(fs)["Premises"] == "" {
		t.Fatalf("check before setup: %v, %v", errorsOf(fs), err)
	}
	rows := func(dry bool) map[string]string {
		t.Helper()
		acts, err := a.Setup(ctx, specs, dry)
		if err != nil {
			t.Fatalf("setup (dry run %v): %v", dry, err)
		}
		out := map[string]string{}
		for _, act := range acts {
			out[act.Name] = act.What + ": " + act.Detail
		}
		return out
	}
	options := func(name string) (labels []string) {
		for _, f := range srv.Fields("deal") {
			if f.Name == name {
				for _, o := range f.Options {
					labels = append(labels, o.Label)
				}
			}
		}
		return labels
	}
	got := rows(true)
	if !strings.HasPrefix(got["Enquiry type"], "would add options") || !strings.HasSuffix(got["Enquiry type"], `: "extra", "viewing"`) ||
		!strings.HasSuffix(got["Premises"], `: "Retail", "Shop"`) || len(options("Enquiry type")) != 1 {
		t.Fatalf("dry run: %v; options now %q", got, options("Enquiry type"))
	}
	got = rows(false)
	if !strings.HasPrefix(got["Enquiry type"], "added options") || !strings.HasPrefix(got["Premises"], "added options") {
		t.Fatalf("setup: %v", got)
	}
	if o := strings.Join(options("Enquiry type"), "|"); o != "client|extra|viewing" {
		t.Errorf("enum's options after setup: %s", o)
	}
	if o := strings.Join(options("Premises"), "|"); o != "Office, large|Retail|Shop" {
		t.Errorf("set's options after setup: %s", o)
	}
	if fs, err := a.Check(ctx, specs); err != nil || len(errorsOf(fs)) != 0 {
		t.Fatalf("check after setup: %v, %v", errorsOf(fs), err)
	}
	if got := rows(false); !strings.HasPrefix(got["Enquiry type"], "exists") || !strings.HasPrefix(got["Premises"], "exists") {
		t.Fatalf("setup again: %v", got)
	}
}
