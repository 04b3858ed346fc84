package main

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCRMLeftNamesWhatNoCRMWasAskedToErase: an erase with -crm asks only
// the configured CRM; the records linked in an earlier target (and all of
// them without -crm) are named with their ids, the dry run's never.
func TestCRMLeftNamesWhatNoCRMWasAskedToErase(t *testing.T) {
	t.Parallel()
	links := []syncd.Link{
		{Target: "hubspot", Kind: syncd.RecordContact, CRMID: "101"},
		{Target: "hubspot", Kind: syncd.RecordDeal, CRMID: "201"},
		{Target: "pipedrive", Kind: syncd.RecordContact, CRMID: "7"},
		{Target: "pipedrive", Kind: syncd.RecordDeal, CRMID: "9"},
		{Target: "pipedrive", Kind: syncd.RecordDeal, CRMID: "10"},
		{Target: "dryrun", Kind: syncd.RecordContact, CRMID: "dry-0011"},
	}
	for _, c := range []struct{ target, want string }{
		{"pipedrive", "left in the CRM: hubspot contact 101, deal 201 (hubspot is not the configured CRM;" +
			" syncd no longer knows these records: delete them in hubspot by hand)\n"},
		{"", "left in the CRM: hubspot contact 101, deal 201 (erase was not given -crm;" +
			" syncd no longer knows these records: delete them in hubspot by hand)\n" +
			"left in the CRM: pipedrive contact 7, deals 9 10 (erase was not given -crm;" +
			" syncd no longer knows these records: delete them in pipedrive by hand)\n"},
	} {
		var b strings.Builder
		crmLeft(&b, links, c.target)
		if b.String() != c.want {
			t.Errorf("target %q:\n got %s\nwant %s", c.target, b.String(), c.want)
		}
	}
}

// TestErasedCRMRecordsAreNamedOnce: a contact the CRM answered to both a
// lead keyed by phone and one keyed by email has two links; erase -crm
// names it once in what it queued ("contact 1008, deals 1009 1010"), and
// once in what it left without -crm. It said "contacts 1008 1008".
func TestErasedCRMRecordsAreNamedOnce(t *testing.T) {
	t.Parallel()
	links := []syncd.Link{
		{Target: "hubspot", Kind: syncd.RecordContact, Key: "+4531415926", CRMID: "1008"},
		{Target: "hubspot", Kind: syncd.RecordContact, Key: "karin@example.dk", CRMID: "1008"},
		{Target: "hubspot", Kind: syncd.RecordDeal, Key: "lb:1", CRMID: "1009"},
		{Target: "hubspot", Kind: syncd.RecordDeal, Key: "lb:2", CRMID: "1010"},
	}
	q := queuedErase{target: "hubspot"}
	if got, want := q.what(syncd.Erasure{CRMOps: 1, CRMLinks: links}), ": contact 1008, deals 1009 1010"; got != want {
		t.Errorf("queued: %q; want %q", got, want)
	}
	var b strings.Builder
	crmLeft(&b, links, "")
	if !strings.Contains(b.String(), "hubspot contact 1008, deals 1009 1010 (") {
		t.Errorf("left without -crm: %q; want contact 1008 named once", b.String())
	}
}
