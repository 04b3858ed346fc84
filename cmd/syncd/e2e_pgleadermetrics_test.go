package main_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestLostSyncLeadEndsThePauseAndCheckItExported: on PostgreSQL only the
// sync leader runs the syncer and the CRM account check. A leader whose
// token HubSpot refused exported syncd_crm_adapter_paused 1 and its
// failed check; cut off from the database, it lost the lead, and once
// reachable again kept exporting both for good, as it no longer reads
// either again: after the new leader's pause was lifted and its check
// passed, the README's alerts on them went on firing on the former leader
// while syncd status said all was well. An instance that no longer leads
// sync exports no check and no pause of its own, as one that never led.
func TestLostSyncLeadEndsThePauseAndCheckItExported(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	_, crmURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "the-right-token"})
	links, ds := twoInstances(t, func(dir, dsn string) string {
		return crmConfig(dir, crmURL, e2eLBToken) + pgStore(t, dir, dsn) // token: fake-private-app-token
	})
	postTestdata(t, ds[0], "eaf/email_lead.json")
	const (
		paused = `syncd_crm_adapter_paused{adapter="hubspot"} 1`
		check  = `syncd_crm_check_problems{adapter="hubspot"}`
	)
	leader := -1
	waitFor(t, "the sync leader to export its pause and failed check", func() bool {
		for i, d := range ds {
			if m := metricsText(t, d.url); strings.Contains(m, paused) && strings.Contains(m, check) {
				leader = i
				return true
			}
		}
		return false
	})
	links[leader].cut()
	other := 1 - leader
	waitFor(t, "the other instance to lead sync", func() bool {
		return strings.Contains(ds[other].log(), `"message":"leading sync"`)
	})
	links[leader].mend(t)
	waitFor(t, "the former leader to export no pause and no check of its own", func() bool {
		m := metricsText(t, ds[leader].url)
		return strings.Contains(m, `syncd_crm_adapter_paused{adapter="hubspot"} 0`) && !strings.Contains(m, check)
	})
}
