package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestOutboxShowOfAnIDNoOperationHadSaysItWasSkipped: two leads of one
// person (same email, name and phone) enqueue one contact operation: the
// second lead's is the same work, not made, and its id is skipped (1,
// then the deals 3 and 4, or 2 and 4). syncd outbox show of it said an
// erasure, the purge or a drop removed it, none of which happened. It now
// says, beside those, that an id is skipped where a lead's contact is work
// the outbox holds already (the store cannot tell which it was), and so do
// outbox retry and give-up of it.
func TestOutboxShowOfAnIDNoOperationHadSaysItWasSkipped(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot})
	config := writeCRMConfig(t, dir, url)
	d := start(t, config)
	first := `{"eaf_type":"email_lead","eaf_id":"A1","id":"A1","email_source":"rightmove","contact_name":"Kim Berg",` +
		`"contact_email":"kim@example.com","contact_phone":"+4520000000","contact_message_flat":"first","eaf_reference":"1"}`
	second := strings.NewReplacer("A1", "B2", "first", "second", `"eaf_reference":"1"`, `"eaf_reference":"2"`).Replace(first)
	for _, body := range []string{first, second} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitFor(t, "the leads mapped", func() bool {
		out, _, _ := syncdRun(t, "events", "list", "-config", config)
		return !strings.Contains(out, "pending")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", config) {
		held[fmt.Sprint(op["id"])] = true
	}
	// Mapped together, the deals are 3 and 4; apart, the first lead's
	// deal is 2 and the id skipped 3.
	skipped := ""
	for _, id := range []string{"1", "2", "3", "4"} {
		if !held[id] {
			skipped = id
		}
	}
	if len(held) != 3 || skipped == "" {
		t.Fatalf("the outbox holds %v; want 3 operations, one id of 1 to 4 skipped", held)
	}
	for _, cmd := range []string{"show", "retry", "give-up"} { // retry and give-up said what show said
		_, stderr, code := syncdRun(t, "outbox", cmd, skipped, "-config", config)
		t.Logf("syncd outbox %s %s, exit %d:\n%s", cmd, skipped, code, stderr)
		if code != 3 || !strings.Contains(stderr, "some ids are never an operation's: one is skipped where a lead's contact or deal is work the outbox holds already") ||
			!strings.Contains(stderr, "syncd outbox list shows those held") {
			t.Errorf("outbox %s of an id skipped: exit %d, want 3 saying ids are skipped\n%s", cmd, code, stderr)
		}
	}
}
