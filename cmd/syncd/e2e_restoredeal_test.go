package main_test

import (
	"encoding/json"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestRestoredBackupNamesTheDealsItMayMakeAgain: a lead waiting for the
// CRM when the backup was taken, sent after it, and its deal deleted by a
// salesperson since. The restore holds the lead's operations pending, and
// the CRM shows no deleted deal to a search (nor, as far as its API is
// documented, to an upsert): the deal is made again, which syncd cannot
// tell from one never made. The README said to check "the deals made
// since the restore" (every new lead's too); now the first start names
// the deal operations the backup held pending, the only ones that can
// make a deleted deal again, and what to do once they are sent.
func TestRestoredBackupNamesTheDealsItMayMakeAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 429, RetryAfter: "1"})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead waiting", func() bool {
		return strings.Contains(syncdOK(t, "outbox", "list", "-config", config), "429")
	})
	backup := backUp(t, config)
	fake.ClearFaults()
	if out, errOut, code := syncdRun(t, "sync", "-config", config); code != 0 { // now, not after the cool-down
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	waitForRecords(t, fake, d, 1, 1, "the CRM answering again")
	if err := fake.DeleteDeal(fake.State().Deals[0].ID); err != nil { // a salesperson, after the backup
		t.Fatal(err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var deal string
	for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", config) {
		if op["kind"] == "deal" {
			deal = jsonID(op["id"])
		}
	}

	restore(t, backup, dir+"/data/syncd.db")
	d = start(t, config)
	waitForRecords(t, fake, d, 1, 1, "the start on the restore") // made again: see the README
	var line struct {
		Message string   `json:"message"`
		IDs     []string `json:"outbox_ids"`
		N       int      `json:"deal_ops"`
	}
	for l := range strings.SplitSeq(d.log(), "\n") {
		if strings.Contains(l, "deal operations the restored backup held pending") {
			json.Unmarshal([]byte(l), &line)
		}
	}
	if line.N != 1 || !slices.Equal(line.IDs, []string{deal}) || !strings.Contains(line.Message, "syncd outbox show") {
		t.Errorf("the start on the restore does not name deal operation %s as one that may make a deleted deal again:\n%s", deal, d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// jsonID is an id as a JSON number decoded into any, as text.
func jsonID(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
