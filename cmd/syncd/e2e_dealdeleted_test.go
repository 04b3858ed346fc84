package main_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestDealDeletedInHubSpotIsNotReportedInHubSpot: a lead's deal that a
// salesperson deleted in HubSpot, found gone when syncd wrote the lead
// again (its mapping edited, `syncd replay`), is left so, and the day's
// report says so. Its Leads row said "In HubSpot", with the deal's old id
// in the Deal column, as if HubSpot still had it.
func TestDealDeletedInHubSpotIsNotReportedInHubSpot(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	maps := filepath.Join(dir, "mappings")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join(shipped, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(maps, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := writeCRMConfig(t, dir, url)
	yaml, _ := os.ReadFile(config)
	os.WriteFile(config, bytes.Replace(yaml, []byte(shipped), []byte(maps), 1), 0o600)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the lead's deal associated with its contact", func() bool {
		s := fake.State()
		return len(s.Deals) == 1 && len(s.Deals[0].ContactIDs) == 1
	})
	deal := fake.State().Deals[0].ID

	// A salesperson deletes the deal in HubSpot, as its API does.
	req, _ := http.NewRequest(http.MethodDelete, url+"/crm/v3/objects/deals/"+deal, nil)
	req.Header.Set("Authorization", "Bearer fake-private-app-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete the deal in HubSpot: %v %v", resp, err)
	}
	resp.Body.Close()

	// The mapping edited, the lead mapped again: its deal is written again.
	lb := filepath.Join(maps, "lokalebasen.yaml")
	b, _ := os.ReadFile(lb)
	edited := strings.Replace(string(b), `description: {expr: 'htmlToText(payload.comment)'}`,
		`description: {expr: '"Comment: " + htmlToText(payload.comment)'}`, 1)
	if edited == string(b) {
		t.Fatal("the shipped mapping's deal description is not where this test edits it")
	}
	os.WriteFile(lb, []byte(edited), 0o644)
	if out, errOut, code := syncdRun(t, "replay", "-config", config, "-since", "24h"); code != 0 || !strings.Contains(out, "enqueued 1 new operation") {
		t.Fatalf("replay: exit %d\n%s%s", code, out, errOut)
	}
	waitFor(t, "the deal's update found it deleted", func() bool {
		return strings.Contains(d.log(), "the lead's deal was deleted in HubSpot")
	})
	waitFor(t, "every operation done", func() bool {
		out, _, _ := syncdRun(t, "outbox", "list", "-state", "pending", "-config", config)
		return strings.Count(strings.TrimSpace(out), "\n") == 0
	})
	if s := fake.State(); len(s.Deals) != 0 {
		t.Fatalf("the deleted deal was made again: %+v", s.Deals)
	}
	// The operator's view of the operation: done, and why nothing was written.
	list, _, _ := syncdRun(t, "outbox", "list", "-limit", "1", "-config", config)
	newest := "" // the deal's update, the newest operation
	if lines := strings.Split(list, "\n"); len(lines) > 1 && strings.Contains(lines[1], " deal ") {
		newest = strings.Fields(lines[1])[0]
	} else {
		t.Fatalf("outbox list -limit 1: %s", list)
	}
	show, _, _ := syncdRun(t, "outbox", "show", newest, "-config", config)
	mustContain(t, "outbox show of the deal's update", show, "done: its record was found deleted in the CRM by a person")

	f := todaysReport(t, config, dir, "today.xlsx")
	leads, _ := f.GetRows("Leads")
	if len(leads) != 2 {
		t.Fatalf("Leads sheet: %v", leads)
	}
	head, row := leads[0], leads[1]
	col := func(name string) string {
		for i, h := range head {
			if h == name && i < len(row) {
				return row[i]
			}
			if h == name {
				return ""
			}
		}
		t.Fatalf("no %s column in %v", name, head)
		return ""
	}
	if got := col("CRM"); !strings.HasPrefix(got, "Deleted in HubSpot\n") || !strings.Contains(got, "(id "+deal+")") {
		t.Errorf("CRM cell of the lead whose deal was deleted in HubSpot: %q", got)
	}
	if got := col("Deal"); got != "" {
		t.Errorf("Deal cell of the lead whose deal was deleted in HubSpot: %q, want none", got)
	}
	if got := col("Contact"); got == "" {
		t.Errorf("Contact cell of the lead: empty, want the contact HubSpot still has")
	}
}
