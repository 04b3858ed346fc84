package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tailscale/hujson"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEnquiryDateSyncdCannotReadReachesTheCRM: an Estate Agent Feeds
// email_lead without eaf_date and eaf_timestamp whose email_date_time is in another format
// than documented ("06/09/2021 06:28") was unmappable: the lead never
// reached the CRM for one date. Now the real daemon sends its contact and
// deal to the CRM without syncd_enquiry_at, and `events show` says that it
// was left out and why.
func TestEnquiryDateSyncdCannotReadReachesTheCRM(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfig(t, t.TempDir(), url)
	d := start(t, config)
	postLeadWithUnreadableDate(t, d)
	waitForRecords(t, fake, d, 1, 1, "a lead whose email_date_time syncd cannot read")
	deal := fake.State().Deals[0]
	if v, ok := deal.Properties["syncd_enquiry_at"]; ok {
		t.Errorf("the deal's syncd_enquiry_at is %q; want it left out", v)
	}
	rows := syncdJSON(t, "events", "list", "-json", "-config", config)
	if len(rows) != 1 {
		t.Fatalf("events list: %d events; want 1", len(rows))
	}
	var shown struct {
		MapState string `json:"map_state"`
		MapError string `json:"map_error"`
	}
	out := syncdOK(t, "events", "show", "-config", config, fmt.Sprint(rows[0]["id"]))
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("events show: %v\n%s", err, out)
	}
	want := `syncd_enquiry_at left out: cannot read "06/09/2021 06:28" as a date`
	if shown.MapState != "mapped" || !strings.Contains(shown.MapError, want) {
		t.Errorf("events show: map_state %q, map_error %q; want mapped, saying %q", shown.MapState, shown.MapError, want)
	}
}

// postLeadWithUnreadableDate posts the sample EAF email_lead to d without
// eaf_date and with an email_date_time syncd cannot read ("06/09/2021
// 06:28": day or month first?).
func postLeadWithUnreadableDate(t *testing.T, d *daemon) {
	t.Helper()
	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	if body, err = hujson.Standardize(body); err != nil {
		t.Fatal(err)
	}
	var lead map[string]any
	if err := json.Unmarshal(body, &lead); err != nil {
		t.Fatal(err)
	}
	delete(lead, "eaf_date")
	delete(lead, "eaf_timestamp") // else the enquiry time is read from it
	lead["email_date_time"] = "06/09/2021 06:28"
	body, _ = json.Marshal(lead)
	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body)
	if err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
}
