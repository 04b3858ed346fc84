package main_test

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
)

// TestEventsListPrintsNoValueOfTheLead: syncd events list prints no
// person's data, data-protection.md says, but its MAPPING column (and
// map_error in -json) gave the mapper's reason whole, which quotes what the
// client typed: an email that is no address (`contact's email "zelda canary
// at home" left out`), the numbers of a phone field holding two, a date
// that does not read (`cannot read "Zelda Canary 61998877" as a date`).
// The listing now leaves each value out as "…", saying still what was left
// out and why; events show gives the reason whole.
func TestEventsListPrintsNoValueOfTheLead(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	for _, p := range []struct{ source, body string }{
		{"lokalebasen/" + e2eLBToken, `{"event_type": "enquiry_created", "payload": {"location": {"id": "1"},
 "client": {"email": "Zelda Canary at home", "name": "Zelda Canary", "phone": "61 99 88 77"}}}`},
		{"lokalebasen/" + e2eLBToken, `{"event_type": "enquiry_created", "payload": {"location": {"id": "2"},
 "client": {"email": "zelda.canary@example.dk", "name": "Zelda Canary", "phone": "61 99 88 77 (mobil), 87 65 43 21 (arb.)"}}}`},
		{"eaf/" + e2eEAFToken, `{"eaf_type": "email_lead", "eaf_id": "4711", "contact_email": "zelda.canary@example.dk",
 "contact_name": "Zelda Canary", "email_date_time": "Zelda Canary 61998877"}`},
	} {
		if a, err := post(d.url+"/hooks/"+p.source, []byte(p.body)); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", p.body, a, err)
		}
	}
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	values := []string{"zelda canary at home", "61 99 88 77", "+4561998877", "87 65 43 21", "zelda canary 61998877", "zelda.canary@example.dk"}
	table, errOut, code := syncdRun(t, "events", "list", "-config", config)
	js, _, jsCode := syncdRun(t, "events", "list", "-json", "-config", config)
	if code != 0 || jsCode != 0 {
		t.Fatalf("events list: exit %d, -json exit %d\n%s%s", code, jsCode, table, errOut)
	}
	for _, v := range values {
		if strings.Contains(strings.ToLower(table), v) {
			t.Errorf("events list prints %q:\n%s", v, table)
		}
	}
	var reasons []string
	for _, line := range strings.Split(strings.TrimSpace(js), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		reason, _ := ev["map_error"].(string)
		reasons = append(reasons, reason)
		for _, v := range values {
			if strings.Contains(strings.ToLower(reason), v) {
				t.Errorf("events list -json's map_error holds %q: %s", v, reason)
			}
		}
	}
	for _, want := range []string{`contact's email "…" left out, not an address; the contact goes by its phone`,
		`contact's phone "…" holds more than one number: the contact's is …, and "…" is left out`,
		`syncd_enquiry_at left out: cannot read "…" as a date`} {
		if !strings.Contains(table, want) || !strings.Contains(strings.Join(reasons, "\n"), want) {
			t.Errorf("events list does not say %q:\n%s\n%s", want, table, js)
		}
	}
	shown := syncdOK(t, "events", "show", "-config", config, "3")
	if !strings.Contains(shown, `cannot read \"Zelda Canary 61998877\" as a date`) {
		t.Errorf("events show 3 does not give the reason whole:\n%s", shown)
	}
}
