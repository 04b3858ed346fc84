package main_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestMemberGivenTwiceOneCopyEverywhere: a Lokalebasen enquiry whose
// client gives name and email twice reaches the CRM, and the report, with
// the last copy of each (as encoding/json reads it): the contact once got
// the first copy's email and the last copy's name, the report the first.
func TestMemberGivenTwiceOneCopyEverywhere(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfig(t, dir, url)
	d := start(t, config)
	body := `{"event_type":"enquiry_created","payload":{"location":{"id":"20064","external_key":"EJ-1"},"enquiry":{"type":"client"},
		"client":{"email":"first@example.com","name":"Alice Able","email":"last@example.com","name":"Bob Baker","phone":"52 25 05 59"}}}`
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 || a.Status != "accepted" {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitForRecords(t, fake, d, 1, 1, "the enquiry")
	c := fake.State().Contacts[0]
	if c.Properties["email"] != "last@example.com" || c.Properties["firstname"] != "Bob" || c.Properties["lastname"] != "Baker" {
		t.Errorf("contact %v: not the last copy of each", c.Properties)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	leads, _ := todaysReport(t, config, dir, "today.xlsx").GetRows("Leads")
	if len(leads) != 2 {
		t.Fatalf("report has %d lead rows with the header, want 2", len(leads))
	}
	if row := strings.Join(leads[1], "|"); !strings.Contains(row, "last@example.com") || !strings.Contains(row, "|Bob|Baker|") || strings.Contains(row, "first@") {
		t.Errorf("the report's lead is not the last copy of each: %s", row)
	}
}
