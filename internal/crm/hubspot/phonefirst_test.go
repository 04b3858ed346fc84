package hubspot_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEmailLeadJoinsTheContactMadeForItsPhone: a person enquired with
// only a phone (syncd made a contact for it, no email), then with an email
// and the same phone. HubSpot keeps contacts unique by email alone: the
// email's upsert made a second contact of the person. Now, bearing the same
// name, the email is written onto the phone-only contact. Someone else
// answering the same phone (another name: a firm's switchboard), or a
// phone-only contact named by its phone alone (no name to compare), or an
// email HubSpot already has on another contact, still goes by the email.
func TestEmailLeadJoinsTheContactMadeForItsPhone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	phoneOnly := func(phone, first, last string) syncd.Contact {
		p := map[string]string{"phone": phone}
		if first != "" {
			p["firstname"], p["lastname"] = first, last
		}
		return syncd.Contact{Key: phone, Phone: phone, Properties: p}
	}
	withEmail := func(email, phone, first, last string) syncd.Contact {
		return syncd.Contact{Key: email, Email: email, Phone: phone,
			Properties: map[string]string{"email": email, "phone": phone, "firstname": first, "lastname": last}}
	}
	for _, tc := range []struct {
		name        string
		first, then syncd.Contact
		byHand      string // an email HubSpot holds on a contact made by hand
		refused     int    // HubSpot's answer to the update of the phone-only contact, when not 200
		joined      bool
	}{
		{"same person", phoneOnly("+4533445566", "Per", "Hansen"), withEmail("per@hansen.dk", "+4533445566", "per", "Hansen"), "", 0, true},
		{"switchboard", phoneOnly("+4533445566", "Per", "Hansen"), withEmail("mette@firm.dk", "+4533445566", "Mette", "Jensen"), "", 0, false},
		{"no name", phoneOnly("+4533445566", "", ""), withEmail("per@hansen.dk", "+4533445566", "Per", "Hansen"), "", 0, false},
		{"email held", phoneOnly("+4533445566", "Per", "Hansen"), withEmail("per@hansen.dk", "+4533445566", "Per", "Hansen"), "per@hansen.dk", 0, false},
		// An answer to the update that is not documented (a 400 where a 409
		// was expected) is no dead letter: the upsert writes the lead.
		{"update refused", phoneOnly("+4533445566", "Per", "Hansen"), withEmail("per@hansen.dk", "+4533445566", "Per", "Hansen"), "", 400, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			links := &crm.MemLinks{}
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links})
			held := ""
			if tc.byHand != "" {
				r := a.UpsertContacts(ctx, []syncd.Contact{withEmail(tc.byHand, "", "Per", "Hansen")})[0]
				if r.Err != nil {
					t.Fatal(r.Err)
				}
				held = r.ID
			}
			first := a.UpsertContacts(ctx, []syncd.Contact{tc.first})[0]
			if tc.refused != 0 {
				srv.AddFault(crmfake.Fault{Method: "PATCH", Path: "/crm/v3/objects/contacts/*", Action: crmfake.ActError, Status: tc.refused})
			}
			then := a.UpsertContacts(ctx, []syncd.Contact{tc.then})[0]
			if first.Err != nil || then.Err != nil {
				t.Fatalf("results %+v, %+v", first, then)
			}
			st := srv.State()
			if tc.joined {
				if then.ID != first.ID || len(st.Contacts) != 1 || len(st.ContactsByEmail[tc.then.Email]) != 1 {
					t.Fatalf("the person's email lead made contact %s beside %s, their phone-only one: %+v", then.ID, first.ID, st.Contacts)
				}
				if id, _ := links.Link(ctx, hubspot.Name, syncd.RecordContact, tc.then.Key); id != first.ID {
					t.Errorf("the email is linked to %q, want %s", id, first.ID)
				}
				return
			}
			if then.ID == first.ID {
				t.Fatalf("the email lead went to the phone-only contact %s of someone else", first.ID)
			}
			if held != "" && then.ID != held {
				t.Errorf("the email lead went to %s, not to %s, which HubSpot holds the email on", then.ID, held)
			}
			for _, c := range st.Contacts {
				if c.ID == first.ID && c.Properties["email"] != "" {
					t.Errorf("the phone-only contact was given the email %q", c.Properties["email"])
				}
			}
		})
	}
}
