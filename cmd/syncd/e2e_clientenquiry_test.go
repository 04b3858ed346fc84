package main_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestClientEnquiryHasNoRequestedLocationOfItsOwn: Lokalebasen documents
// two kinds of enquiry, the client's own (direct: its requested_location
// "will, inevitably," be its location) and an extra one its matching adds
// for a similar location, the example it prints (enquiry.type "extra").
// Posted to the real daemon, each reaches the HubSpot stand-in with its
// type and stage as the shipped mappings write them, and the requested
// location's URL only on the extra one, where it is another location than
// the deal's: as docs/senders/README.md says. No test held the client
// enquiry's side of it.
func TestClientEnquiryHasNoRequestedLocationOfItsOwn(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{})
	d := start(t, writeCRMConfig(t, t.TempDir(), url))

	extra, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	const (
		requested = "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"
		own       = "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"
	)
	// The same body as a client enquiry of another client, about the
	// location it requested: Lokalebasen's trailing commas and all.
	client := bytes.Replace(extra, []byte(requested), []byte(own), 1)
	client = bytes.Replace(client, []byte(`"type": "extra"`), []byte(`"type": "client"`), 1)
	client = bytes.Replace(client, []byte("angela7913@hotmail.com"), []byte("bo.client@example.dk"), 1)
	if bytes.Contains(client, []byte(requested)) || !bytes.Contains(client, []byte(`"type": "client"`)) {
		t.Fatalf("the example is not as printed: %s", extra)
	}
	for _, body := range [][]byte{extra, client} {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 || a.Status != "accepted" {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitForRecords(t, fake, d, 2, 2, "a client and an extra enquiry")
	byType := map[string]map[string]string{}
	for _, deal := range fake.State().Deals {
		byType[deal.Properties["syncd_enquiry_type"]] = deal.Properties
	}
	if p := byType["extra"]; p == nil || p["syncd_requested_location_url"] != requested || p["syncd_location_url"] != own ||
		p["dealstage"] != "appointmentscheduled" {
		t.Errorf("the extra enquiry's deal: %v; want syncd_requested_location_url %s beside its own location, stage appointmentscheduled", p, requested)
	}
	p := byType["client"]
	if p == nil || p["syncd_location_url"] != own || p["dealstage"] != "qualifiedtobuy" {
		t.Fatalf("the client enquiry's deal: %v; want its location %s, stage qualifiedtobuy", p, own)
	}
	if v, ok := p["syncd_requested_location_url"]; ok {
		t.Errorf("the client enquiry's deal has syncd_requested_location_url %q: its requested location is its own, and is left out", v)
	}
}
