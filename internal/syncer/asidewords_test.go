package syncer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestSetAsideAdviceNamesTheCRMTheAdapterSays: a HubSpot lead's contact
// whose batch HubSpot answers 504 every time, while it answers other
// calls, is set aside with advice to look for it in the CRM before giving
// it up. The syncer named the CRM only when its target was the literal
// "pipedrive", and said "the CRM" of every other; the adapter now says its
// name and its word for the record (syncd.Wording): HubSpot and contact.
func TestSetAsideAdviceNamesTheCRMTheAdapterSays(t *testing.T) {
	t.Parallel()
	logs := &lockedBuf{}
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) {
		o.Log = zerolog.New(logs).Level(zerolog.InfoLevel)
		o.Probe = func(context.Context) error { return nil }
	})
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: contactsUpsert, Action: crmfake.ActError, Status: 504})
	enqueueLeads(t, r.db, hubspot.Name, 0, 1)
	sum, err := r.s.RunOnce(context.Background())
	if err != nil || len(sum.Aside) != 1 {
		t.Fatalf("run = %+v, %v; want the lead's contact set aside", sum, err)
	}
	var fix string
	for _, l := range strings.Split(logs.String(), "\n") {
		var e struct{ Message, Fix string }
		if json.Unmarshal([]byte(l), &e) == nil && strings.Contains(e.Message, "set aside") {
			fix = e.Fix
		}
	}
	id := fmt.Sprint(sum.Aside[0])
	for _, w := range []string{"if HubSpot took it before failing, syncd looks for it before creating it again and makes no second contact",
		"look for the lead's contact in HubSpot; give it up (syncd outbox give-up " + id + ") only once it is there",
		"the lead is not sent to HubSpot"} {
		if !strings.Contains(fix, w) {
			t.Errorf("fix %q: no %q", fix, w)
		}
	}
}
