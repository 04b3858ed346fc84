package main_test

import (
	"fmt"
	"testing"
)

// pdSubfieldsMapping maps a Lokalebasen event type that has no documented
// payload into the Pipedrive field types whose value has subfields: time,
// time range, date range and address.
const pdSubfieldsMapping = `fields:
  deal:
    syncd viewing time: {type: time}
    syncd opening hours: {type: timerange}
    syncd lease period: {type: daterange}
    syncd premises address: {type: address}
rules:
  - name: viewing
    source: lokalebasen
    event: viewing_booked
    contact:
      email: {path: payload.email, write: add}
    deal:
      title: {const: Viewing, write: create}
      syncd lead id: {expr: 'syncd.lead_id'}
      syncd viewing time: {path: payload.at}
      syncd opening hours: {path: payload.hours}
      syncd lease period: {path: payload.period}
      syncd premises address: {path: payload.address}
`

// TestPipedriveSubfieldValuesReachItWhole posts, through the real binary,
// leads whose values go into Pipedrive time, time range, date range and
// address fields, to a stand-in that checks each value's shape as API v2
// documents it. A time was sent as {"value": "09:00 Europe/London"}, with
// no timezone_name, and a range as {"value": "09:00-17:00"}, with no
// until: Pipedrive refuses them, so every such lead was dead-lettered. Now
// a time goes as {"value": "09:00:00", "timezone_name": ...} (the zone the
// value names, else report.time_zone), a range with its "until".
func TestPipedriveSubfieldValuesReachItWhole(t *testing.T) {
	t.Parallel()
	fake, cfg, code := pipedriveWithMapping(t, "subfields.yaml", pdSubfieldsMapping)
	d := start(t, cfg)
	type lead struct{ at, hours, period, address string }
	sent := map[string]lead{
		"london@x.dk": {"09:00 Europe/London", "09:00-17:00 Europe/London", "2026-12-01/2026-12-24", "Vesterbrogade 1, København"},
		"local@x.dk":  {"14:30:15", "8:00 to 16:30", "2027-01-01 to 2027-06-30", "Nørregade 7"},
	}
	want := map[string]lead{ // as the stand-in prints what it holds
		"london@x.dk": {"map[timezone_name:Europe/London value:09:00:00]", "map[timezone_name:Europe/London until:17:00:00 value:09:00:00]",
			"map[until:2026-12-24 value:2026-12-01]", "map[value:Vesterbrogade 1, København]"},
		"local@x.dk": {"map[timezone_name:Europe/Copenhagen value:14:30:15]", "map[timezone_name:Europe/Copenhagen until:16:30:00 value:08:00:00]",
			"map[until:2027-06-30 value:2027-01-01]", "map[value:Nørregade 7]"},
	}
	for email, l := range sent {
		body := fmt.Sprintf(`{"event_type": "viewing_booked", "payload": {"email": %q, "at": %q, "hours": %q, "period": %q, "address": %q}}`,
			email, l.at, l.hours, l.period, l.address)
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", email, a, err)
		}
	}
	waitFor(t, "the persons and their deals, or a dead letter", func() bool {
		st := fake.State()
		return len(st.Contacts) == len(sent) && len(st.Deals) == len(sent) ||
			len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", cfg)) > 0
	})
	st := fake.State()
	if len(st.Deals) != len(sent) {
		out, _ := syncdCmd("outbox", "list", "-state", "dead", "-config", cfg).CombinedOutput()
		t.Fatalf("%d deals of %d; dead letters:\n%s", len(st.Deals), len(sent), out)
	}
	for _, c := range st.Contacts {
		w := want[c.Email]
		for _, dl := range st.Deals {
			if len(dl.ContactIDs) == 0 || dl.ContactIDs[0] != c.ID {
				continue
			}
			for name, v := range map[string]string{"syncd viewing time": w.at, "syncd opening hours": w.hours,
				"syncd lease period": w.period, "syncd premises address": w.address} {
				if got := dl.Properties["custom_fields."+code[name]]; got != v {
					t.Errorf("%s: the deal's %s holds %s, want %s", c.Email, name, got, v)
				}
			}
		}
	}
}
