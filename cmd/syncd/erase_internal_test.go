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
