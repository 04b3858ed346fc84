package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// hsTypesMapping maps a Lokalebasen event type that has no documented
// payload into HubSpot contact properties of each type the account has.
const hsTypesMapping = `rules:
  - name: viewing
    source: lokalebasen
    event: viewing_booked
    contact:
      email: payload.email
      lastname: {const: Viewer, write: create}
      syncd_features: {expr: 'join(payload.features, ";")'}
      syncd_size: payload.size
      syncd_rooms: payload.rooms
      syncd_furnished: payload.furnished
      syncd_move_in: payload.move_in
      syncd_seen: payload.seen
`

// hsTypedProperties are the contact properties hsTypesMapping writes, as
// an account owner made them in HubSpot: a multiple checkboxes property
// and a dropdown whose options' labels are not their internal values.
var hsTypedProperties = []crmfake.Property{
	{Name: "syncd_features", Type: "enumeration", FieldType: "checkbox", Options: []crmfake.Option{
		{Label: "Parking", Value: "parking"}, {Label: "Canteen", Value: "canteen"}, {Label: "Fibre", Value: "fibre"}}},
	{Name: "syncd_size", Type: "enumeration", FieldType: "select", Options: []crmfake.Option{
		{Label: "Small office", Value: "small"}, {Label: "Large office", Value: "large"}}},
	{Name: "syncd_rooms", Type: "number", FieldType: "number"},
	{Name: "syncd_furnished", Type: "bool", FieldType: "booleancheckbox", Options: []crmfake.Option{
		{Label: "Yes", Value: "true"}, {Label: "No", Value: "false"}}},
	{Name: "syncd_move_in", Type: "date", FieldType: "date"},
	{Name: "syncd_seen", Type: "datetime", FieldType: "date"},
}

// hubspotWithTypes starts a stand-in HubSpot that checks values as HubSpot
// does, holding hsTypedProperties, and a daemon whose mappings are the
// shipped HubSpot ones and hsTypesMapping, once its account check passed.
func hubspotWithTypes(t *testing.T) (*crmfake.Server, *daemon, string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", StrictSchema: true})
	for _, p := range hsTypedProperties {
		p.Label = p.Name
		fake.SetProperty("contacts", p)
	}
	dir := t.TempDir()
	_, maps := editedMappings(t, dir)
	if err := os.WriteFile(filepath.Join(maps, "types.yaml"), []byte(hsTypesMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Abs("../../mappings/hubspot")
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(strings.Replace(crmConfig(dir, url, e2eLBToken), shipped, maps, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "crm", "setup", "-config", config)
	d := start(t, config)
	waitFor(t, "the check at start", func() bool { return strings.Contains(d.log(), "crm check passed") })
	return fake, d, config
}

// postViewing posts a viewing_booked lead whose payload holds fields.
func postViewing(t *testing.T, d *daemon, fields string) {
	t.Helper()
	body := `{"event_type": "viewing_booked", "payload": {` + fields + `}}`
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
		t.Fatalf("post %s: %+v %v", body, a, err)
	}
}

// hsContact is the stand-in's contact with email, if any.
func hsContact(fake *crmfake.Server, email string) (map[string]string, bool) {
	for _, c := range fake.State().Contacts {
		if c.Email == email {
			return c.Properties, true
		}
	}
	return nil, false
}

// boxesHeld posts a lead for boxes@x.dk with two features and waits until
// its contact holds them.
func boxesHeld(t *testing.T, fake *crmfake.Server, d *daemon) {
	t.Helper()
	postViewing(t, d, `"email": "boxes@x.dk", "features": ["canteen", "fibre"], "size": "small"`)
	waitFor(t, "the contact of the first lead", func() bool {
		p, ok := hsContact(fake, "boxes@x.dk")
		return ok && p["syncd_features"] == "canteen;fibre"
	})
}

// contactsSentNoneDead waits until every event is mapped and no contact
// operation is pending, and fails the test if one was dead-lettered. An
// outbox with nothing pending before the mapper wrote the leads'
// operations passed at once, and the test read the CRM before they were
// sent.
func contactsSentNoneDead(t *testing.T, config string) {
	t.Helper()
	waitFor(t, "the leads sent or set aside", func() bool {
		events, _, code := syncdRun(t, "events", "list", "-json", "-config", config)
		if code != 0 || strings.Contains(events, `"map_state":"pending"`) {
			return false
		}
		out, _, code := syncdRun(t, "outbox", "list", "-state", "pending", "-config", config)
		return code == 0 && !strings.Contains(out, "contact")
	})
	if out, _, _ := syncdRun(t, "outbox", "list", "-state", "dead", "-config", config); strings.Contains(out, "contact") {
		t.Errorf("a lead was dead-lettered:\n%s", out)
	}
}

// TestHubSpotPropertyTypesHoldWhatTheSenderSent maps leads, through the
// real binary, into HubSpot contact properties of each type, and checks
// what HubSpot holds: a multiple checkboxes value whose list starts with an
// empty element (";parking") replaces what the contact held, as the
// sender's list does, where HubSpot read the leading ";" as "append" and
// the contact kept the options of its earlier lead; a dropdown's option
// written by its label ("Large office") is its internal value, where
// HubSpot refused it and the lead was dead-lettered; numbers, booleans,
// dates and datetimes as the sender wrote them.
func TestHubSpotPropertyTypesHoldWhatTheSenderSent(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, d, config := hubspotWithTypes(t)
	boxesHeld(t, fake, d)
	postViewing(t, d, `"email": "boxes@x.dk", "features": ["", "parking"], "size": "small"`)
	postViewing(t, d, `"email": "typed@x.dk", "features": ["parking"], "size": "Large office", "rooms": 1.2345e3,
		"furnished": true, "move_in": "2027-01-01", "seen": "2026-12-01T09:15:00+01:00"`)
	contactsSentNoneDead(t, config)
	if p, _ := hsContact(fake, "boxes@x.dk"); p["syncd_features"] != "parking" {
		t.Errorf("after a lead with features [\"\", \"parking\"] the contact's syncd_features holds %q, want %q", p["syncd_features"], "parking")
	}
	p, _ := hsContact(fake, "typed@x.dk")
	want := map[string]string{"syncd_features": "parking", "syncd_size": "large", "syncd_rooms": "1234.5",
		"syncd_furnished": "true", "syncd_move_in": "2027-01-01", "syncd_seen": "2026-12-01T09:15:00+01:00"}
	for k, w := range want {
		if p[k] != w {
			t.Errorf("%s holds %q, want %q", k, p[k], w)
		}
	}
}
