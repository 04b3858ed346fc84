package pipedrive_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOptionWrittenByItsIDDeletedIsNotMadeAgainAsALabel: a mapping writes
// an enum option by its id (the mappings take an option by label, else by
// id), and an admin deletes that option in Pipedrive. crm check said to
// run crm setup, "which adds the option", and setup added an option
// labelled with the old id ("101") to the salespeople's dropdown, which
// every lead then carried. The check and setup now say the value may be a
// deleted option's id and to write one of the field's options; setup adds
// no such option. A number the fields: section declares as an option is a
// label, added as before.
func TestOptionWrittenByItsIDDeletedIsNotMadeAgainAsALabel(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	key := srv.AddField("deal", crmfake.Field{Name: "Enquiry type", Type: "enum", Options: []crmfake.PDOption{{Label: "client"}, {Label: "extra"}}})
	srv.AddField("deal", crmfake.Field{Name: "Rooms", Type: "enum", Options: []crmfake.PDOption{{Label: "1"}, {Label: "2"}}})
	var extra int64
	for _, f := range srv.Fields("deal") {
		if f.Code == key {
			extra = f.Options[1].ID
		}
	}
	id := strconv.FormatInt(extra, 10)
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "Enquiry type", Type: "enum", Values: []string{id}, Where: "pipedrive/lb.yaml:30"},
		{Kind: syncd.RecordDeal, Name: "Rooms", Type: "enum", Options: []string{"1", "2", "3"}, Values: []string{"3"}, Where: "pipedrive/lb.yaml:31"},
	}
	ctx := context.Background()
	if fs, _ := a.Check(ctx, specs); syncd.Failed(fs) && errorsOf(fs)["Enquiry type"] != "" {
		t.Fatalf("the option there: %+v", fs)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.BaseURL()+"/dealFields/"+key+"/options", strings.NewReader(fmt.Sprintf(`[{"id":%d}]`, extra)))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete the option: %v, %v", resp, err)
	}
	fs, err := a.Check(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	e := errorsOf(fs)["Enquiry type"]
	if !strings.Contains(e, "deleted") || !strings.Contains(e, `"client"`) || !strings.Contains(e, "pipedrive/lb.yaml:30") || strings.Contains(e, "which adds") {
		t.Fatalf("check: %q", e)
	}
	acts, err := a.Setup(ctx, specs, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range srv.Fields("deal") {
		labels := []string{}
		for _, o := range f.Options {
			labels = append(labels, o.Label)
		}
		switch f.Name {
		case "Enquiry type":
			if slices.Contains(labels, id) {
				t.Errorf("setup made an option labelled %s: %v (%+v)", id, labels, acts)
			}
		case "Rooms":
			if !slices.Contains(labels, "3") {
				t.Errorf("setup did not add the declared option 3: %v (%+v)", labels, acts)
			}
		}
	}
	for _, act := range acts {
		if act.Name == "Enquiry type" && (act.What != "cannot create" || !strings.Contains(act.Detail, "pipedrive/lb.yaml:30")) {
			t.Errorf("setup's row: %+v", act)
		}
	}
}
