package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTwoPersonsWithTheLeadsEmail: two persons made by hand with the same
// email: the oldest gets the lead, every time, and the log says so (by
// count and id, without the email), where before nothing did.
func TestTwoPersonsWithTheLeadsEmail(t *testing.T) {
	t.Parallel()
	var log logtest.Buffer
	srv, a, links := setup(t, crmfake.Options{}, pipedrive.Options{Logger: zerolog.New(&log).Level(zerolog.InfoLevel)})
	cs, ds := crmtest.Leads(1)
	older := srv.AddContact(crmfake.Record{Email: cs[0].Email, Properties: map[string]string{"name": "By hand"}})
	srv.AddContact(crmfake.Record{Email: cs[0].Email, Properties: map[string]string{"name": "By hand again"}})
	cr, dr := deliver(t, a, cs, ds)
	if cr[0].Err != nil || dr[0].Err != nil || cr[0].ID != older {
		t.Fatalf("person %q (want %s): %v / %v", cr[0].ID, older, cr[0].Err, dr[0].Err)
	}
	if d := srv.State().Deals; len(d) != 1 || d[0].ContactIDs[0] != older {
		t.Fatalf("deals %+v", d)
	}
	if id, _ := links.Link(context.Background(), pipedrive.Name, syncd.RecordContact, cs[0].Key); id != older {
		t.Fatalf("link %q", id)
	}
	out := log.String()
	if !strings.Contains(out, `"persons":2`) || !strings.Contains(out, `"person_id":"`+older+`"`) || strings.Contains(out, cs[0].Email) {
		t.Fatalf("log: %s", out)
	}
}
