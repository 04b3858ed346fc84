package main_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestExportAfterARestoreSaysWhenTheErasureWasFirstMade: a person erased,
// then a backup taken before the erasure restored, is erased again at the
// first start on it, and the restored audit records that erasure only,
// at its own time. syncd export then answered "when was I erased?" with
// the day of the restore: the day the person's request was carried out
// was gone from what it says. The export names when the erasure it made
// again was first made (first_made_at), from the erasure log.
func TestExportAfterARestoreSaysWhenTheErasureWasFirstMade(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	backup := backUp(t, config)
	said := syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	m := regexp.MustCompile(`(?m)^audit: subject [0-9a-f]+ at (.+)$`).FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("erase printed no audit line:\n%s", said)
	}
	erasedAt, err := time.Parse("2006-01-02 15:04:05 -07:00", m[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the erasure made again is a second later at least: the two times differ as shown
	restore(t, backup, db)
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.log(), "applied again") {
		t.Fatalf("the first start on the restore did not erase the person again:\n%s", d.log())
	}
	var exported struct {
		Erasures []struct {
			At          time.Time  `json:"at"`
			FirstMadeAt *time.Time `json:"first_made_at"`
		} `json:"erasures"`
	}
	out := syncdOK(t, "export", "-config", config, "-email", "support@estateagentfeeds.com")
	if err := json.Unmarshal([]byte(out), &exported); err != nil || len(exported.Erasures) != 1 {
		t.Fatalf("export of the person erased again: %v\n%s", err, out)
	}
	er := exported.Erasures[0]
	if er.FirstMadeAt == nil || !er.FirstMadeAt.Truncate(time.Second).Equal(erasedAt) {
		t.Errorf("export after the restore: erasure at %s, first_made_at %v; want the erasure's own time %s\n%s", er.At, er.FirstMadeAt, erasedAt, out)
	}
	text := syncdOK(t, "export", "-config", config, "-email", "support@estateagentfeeds.com", "-format", "text")
	if !strings.Contains(text, "syncd first erased you at "+m[1]) {
		t.Errorf("the text export does not tell the person when they were first erased (%s):\n%s", m[1], text)
	}
}
