package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestEarlierAccountsErasureIsNeverRetried: the agency moved to another
// HubSpot portal with a CRM erasure still queued (the CRM down when the
// person was erased, here); `syncd crm forget-links` made it dead, as its
// CRM ids are the old portal's and name someone else in the new one. But
// `syncd outbox retry ID` of it, and `outbox retry -all-dead`, brought it
// back and the next sync erased whoever held those ids in the new portal.
// Now the retry is refused (exit 2) saying why and what to do, and
// -all-dead leaves it dead, saying so.
func TestEarlierAccountsErasureIsNeverRetried(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fakeY, configY := erasureOfAnEarlierAccount(t)
	const email = "support@estateagentfeeds.com"
	id := deadErasure(t, configY)

	out, errOut, code := syncdRun(t, "outbox", "retry", "-config", configY, id)
	t.Logf("syncd outbox retry %s, exit %d:\n%s%s", id, code, out, errOut)
	if code != 2 || !strings.Contains(errOut, "crm forget-links") || !strings.Contains(errOut, "syncd outbox give-up "+id) {
		t.Errorf("outbox retry of the earlier account's erasure: exit %d; want 2, why and the give-up\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "outbox", "retry", "-config", configY, "-all-dead")
	t.Logf("syncd outbox retry -all-dead, exit %d:\n%s%s", code, out, errOut)
	if code != 0 || !strings.Contains(out, "0 dead operations pending again") ||
		!strings.Contains(out, "1 CRM erasure of the account syncd wrote to before syncd crm forget-links left dead") {
		t.Errorf("outbox retry -all-dead: exit %d; want the earlier account's erasure left dead, and said\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "sync", "-config", configY)
	if n := len(fakeY.State().ContactsByEmail[email]); n != 1 {
		t.Fatalf("after a retry, the earlier account's erasure erased this account's record of that id (%d left): exit %d\n%s%s",
			n, code, out, errOut)
	}
}

// erasureOfAnEarlierAccount makes a CRM erasure of an earlier account: a
// lead synced to a HubSpot portal, the person erased with -crm while that
// portal cannot be reached (the erasure waits), then the agency moved to
// another portal, whose first contact has the id the old portal's had,
// and `syncd crm forget-links` run there. It returns the new portal and
// the configuration, no daemon running.
func erasureOfAnEarlierAccount(t *testing.T) (*crmfake.Server, string) {
	t.Helper()
	fakeX, urlX := startFakeCRM(t, crmfake.Options{AccountID: 1110001})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, urlX, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fakeX, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	fakeX.Close() // the old portal cannot be reached: the erasure waits
	const email = "support@estateagentfeeds.com"
	out, errOut, _ := syncdRun(t, "erase", "-config", config, "-email", email, "-crm")
	if !strings.Contains(out, "erased: 1 event") {
		t.Fatalf("erase -crm:\n%s%s", out, errOut)
	}
	fakeY, urlY := startFakeCRM(t, crmfake.Options{AccountID: 2220002})
	fakeY.AddContact(crmfake.Record{Email: email}) // the new portal's own client, of the old one's contact id
	if err := os.Remove(config); err != nil {
		t.Fatal(err)
	}
	config = writeCRMConfigOnPort(t, dir, urlY, true)
	if _, err := os.Stat(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := syncdRun(t, "crm", "forget-links", "-config", config)
	t.Logf("syncd crm forget-links, exit %d:\n%s%s", code, out, errOut)
	if code != 0 || !strings.Contains(out, "1 CRM erasure was waiting with the earlier account's CRM ids") ||
		!strings.Contains(out, "then syncd outbox give-up each one") {
		t.Fatalf("forget-links: exit %d\n%s%s", code, out, errOut)
	}
	return fakeY, config
}

// deadErasure returns the id of the one dead erasure syncd outbox list
// shows.
func deadErasure(t *testing.T, config string) string {
	t.Helper()
	out := syncdOK(t, "outbox", "list", "-config", config, "-state", "dead", "-json")
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var op struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		}
		if json.Unmarshal([]byte(line), &op) == nil && op.Kind == "erase" {
			ids = append(ids, strconv.FormatInt(op.ID, 10))
		}
	}
	if len(ids) != 1 {
		t.Fatalf("dead erasures %v; want one:\n%s", ids, out)
	}
	return ids[0]
}
