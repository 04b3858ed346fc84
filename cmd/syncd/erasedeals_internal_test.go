package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOlderDealsSaidOfOldHubSpotContactsOnly: erase tells of a HubSpot
// contact linked more than retention.outbox_days ago once, however many
// links name it, and says to open it when erase was not given -crm; not of
// a recent one, a Pipedrive person (whose deals its erasure lists), or any
// when the outbox keeps operations for ever or every deal link names its
// contact; the horizon counts from when deal links began to name it.
func TestOlderDealsSaidOfOldHubSpotContactsOnly(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	old, recent := now.AddDate(0, 0, -91), now.AddDate(0, 0, -89)
	links := []syncd.Link{
		{Target: "hubspot", Kind: syncd.RecordContact, Key: "a@x.dk", CRMID: "1001", RecordedAt: old},
		{Target: "hubspot", Kind: syncd.RecordContact, Key: "+4520123456", CRMID: "1001", RecordedAt: old.Add(time.Hour)},
		{Target: "hubspot", Kind: syncd.RecordContact, Key: "b@x.dk", CRMID: "1002", RecordedAt: recent},
		{Target: "hubspot", Kind: syncd.RecordDeal, Key: "lead-1", CRMID: "2001", RecordedAt: old},
		{Target: "pipedrive", Kind: syncd.RecordContact, Key: "a@x.dk", CRMID: "7", RecordedAt: old},
	}
	cfg := &config.Config{Retention: config.Retention{OutboxDays: 90}, Report: config.Report{TimeZone: "UTC"},
		CRM: config.CRM{HubSpot: config.HubSpot{LeadIDProperty: "syncd_lead_id"}}} // as its default sets it
	var b strings.Builder
	olderDealsSaid(&b, cfg, links, now, now.AddDate(1, 0, 0), false, nil)
	out := b.String()
	if strings.Count(out, "older deals: ") != 1 || !strings.Contains(out, "older deals: hubspot contact 1001 was linked at 2026-09-06 12:00:00 +00:00, ") ||
		!strings.HasSuffix(out, "erase was not given -crm: in HubSpot open contact 1001 and delete its deals that have syncd_lead_id set\n") {
		t.Errorf("erase without -crm said:\n%s", out)
	}
	b.Reset()
	if olderDealsSaid(&b, cfg, links, now, time.Time{}, true, nil); b.Len() != 0 {
		t.Errorf("with every deal link naming its contact erase said:\n%s", b.String())
	}
	b.Reset() // deal links named their contact from 2 days after old: only what was dropped before then is unknown
	if olderDealsSaid(&b, cfg, links, now, old.AddDate(0, 0, 2), true, nil); b.Len() != 0 {
		t.Errorf("of contacts linked within outbox_days before deal links named their contact erase said:\n%s", b.String())
	}
	cfg.Retention.OutboxDays = 0
	b.Reset()
	if olderDealsSaid(&b, cfg, links, now, now, true, nil); b.Len() != 0 {
		t.Errorf("with operations kept for ever erase said:\n%s", b.String())
	}
}
