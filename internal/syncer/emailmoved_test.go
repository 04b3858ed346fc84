package syncer_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// logSink is a log writer safe for the adapter's goroutines.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logSink) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logSink) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// enqueueContactAgain maps lead i's event again with a new deal (lead) and
// its contact's company changed (the person wrote again, from the same
// address, with news): both operations are new work.
func enqueueContactAgain(t *testing.T, r *rig, i int, lead, company string) {
	t.Helper()
	var ev int64
	for _, op := range allOps(t, r.db) {
		if op.Key == email(i) {
			ev = op.EventID
		}
	}
	ops := leadOps(ev, hubspot.Name, i)
	ops[0].Properties["company"] = company
	ops[1].Key = lead
	if n, err := r.db.RecordMapping(context.Background(), ev, syncd.MapMapped, "", ops); err != nil || n != 2 {
		t.Fatalf("enqueue = %d, %v; want the contact and the deal", n, err)
	}
}

// TestContactEmailChangedInHubSpotKeepsTheContact: a salesperson changes
// contact 0's email in HubSpot (the person gave a new address), dropping
// the old one or keeping it as a secondary email; then the person enquires
// again from the old address with news. The lead goes to the contact syncd
// holds a link to: no second contact, its email left as the salesperson
// set it, the news written to it, the new deal associated with it, the link
// kept, and a warning naming the contact by id, without the addresses.
// Before, the upsert by the old email made a second contact, the new deal
// went to it and the link was moved to it, without a word. With mappings
// whose firstname is written on create only (as the shipped ones), the
// existing contact keeps the salesperson's firstname too.
func TestContactEmailChangedInHubSpotKeepsTheContact(t *testing.T) {
	t.Parallel()
	const changed = "angela.new@example.org"
	for _, tc := range []struct {
		name string
		edit map[string]string
		mode syncd.WriteModes
	}{
		{"old address dropped", map[string]string{"email": changed}, nil},
		{"old address dropped, firstname on create", map[string]string{"email": changed, "firstname": "Angela"},
			syncd.WriteModes{syncd.RecordContact: {"firstname": syncd.WriteCreate}}},
		{"old address kept as secondary", map[string]string{"email": changed, "firstname": "Angela", "hs_additional_emails": email(0)},
			syncd.WriteModes{syncd.RecordContact: {"firstname": syncd.WriteCreate}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log logSink
			r := hubspotRig(t, crmfake.Options{}, hubspot.Options{Modes: tc.mode,
				Logger: zerolog.New(&log).Level(zerolog.InfoLevel)}, nil)
			enqueueLeads(t, r.db, hubspot.Name, 0, 2)
			r.drain(t, 3)
			id := crmIDs(t, r)[email(0)]
			if err := r.srv.EditContact(id, crmfake.Edit{Properties: tc.edit}); err != nil {
				t.Fatal(err)
			}
			enqueueContactAgain(t, r, 0, leadID(0)+"-again", "Bakers ApS")
			if sum := r.drain(t, 3); sum.Dead != 0 {
				t.Fatalf("%d dead", sum.Dead)
			}
			st := r.srv.State()
			if len(st.Contacts) != 2 {
				t.Fatalf("%d contacts, want 2 (no second one for lead 0): %+v", len(st.Contacts), st.Contacts)
			}
			var c crmfake.Record
			for _, x := range st.Contacts {
				if x.ID == id {
					c = x
				}
			}
			want := map[string]string{"email": changed, "company": "Bakers ApS"}
			if tc.mode != nil {
				want["firstname"] = "Angela"
			}
			for k, v := range want {
				if c.Properties[k] != v {
					t.Fatalf("contact %s: %s = %q, want %q (%+v)", id, k, c.Properties[k], v, c.Properties)
				}
			}
			d := st.DealsByLead[leadID(0)+"-again"]
			if len(d) != 1 || len(d[0].ContactIDs) != 1 || d[0].ContactIDs[0] != id {
				t.Fatalf("new deal %+v, want it associated with contact %s", d, id)
			}
			if l, err := r.db.Link(context.Background(), hubspot.Name, syncd.RecordContact, email(0)); err != nil || l != id {
				t.Fatalf("link of the old address: %q, %v; want %s", l, err, id)
			}
			out := log.String()
			if !strings.Contains(out, `"contact_id":"`+id+`"`) || !strings.Contains(out, "email") {
				t.Fatalf("no warning naming contact %s:\n%s", id, out)
			}
			if strings.Contains(out, email(0)) || strings.Contains(out, changed) {
				t.Fatalf("an email address in the log:\n%s", out)
			}
		})
	}
}
