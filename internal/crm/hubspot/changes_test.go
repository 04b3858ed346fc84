package hubspot_test

import (
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkPairs fails t unless every result holds the CRM id of its own record
// and every deal is associated with its own contact (lead i with email i).
func checkPairs(t *testing.T, srv *crmfake.Server, cs []syncd.Contact, cr, dr []syncd.Result) {
	t.Helper()
	st := srv.State()
	idOfEmail := map[string]string{}
	for _, c := range st.Contacts {
		idOfEmail[c.Email] = c.ID
	}
	dealOfLead := map[string]crmfake.Record{}
	for _, d := range st.Deals {
		dealOfLead[d.LeadID] = d
	}
	wrong := 0
	for i, c := range cs {
		d := dealOfLead[fmt.Sprintf("L-%05d", i)]
		if cr[i].ID != idOfEmail[c.Email] || dr[i].ID != d.ID || len(d.ContactIDs) != 1 || d.ContactIDs[0] != idOfEmail[c.Email] {
			wrong++
		}
	}
	if wrong > 0 {
		t.Fatalf("%d of %d leads point at the wrong record", wrong, len(cs))
	}
}

// TestShuffledAnswersWithoutEchoAreNotPairedByPosition: the fake answers
// batch upserts in a shuffled order without echoing the id property or the
// trace id; no result may be taken for another input's.
func TestShuffledAnswersWithoutEchoAreNotPairedByPosition(t *testing.T) {
	srv, a := setup(t, crmfake.Options{NoEcho: true, Seed: 7}, hubspot.Options{})
	cs, ds := leads(300)
	cr, dr := deliver(t, a, cs, ds, 3)
	checkClean(t, srv, 300, cr, dr)
	checkPairs(t, srv, cs, cr, dr)
}

// TestShuffledAnswersWithTraceEchoNeedOneCall: when the answer echoes the
// trace ids, a batch is matched without resending anything.
func TestShuffledAnswersWithTraceEchoNeedOneCall(t *testing.T) {
	srv, a := setup(t, crmfake.Options{Seed: 7}, hubspot.Options{})
	cs, ds := leads(100)
	cr, dr := deliver(t, a, cs, ds, 1)
	checkClean(t, srv, 100, cr, dr)
	checkPairs(t, srv, cs, cr, dr)
	if n := srv.CountRequests("POST", "/crm/v3/objects/", 0); n != 2 {
		t.Fatalf("%d batch upserts for 100 leads, want 2", n)
	}
}
