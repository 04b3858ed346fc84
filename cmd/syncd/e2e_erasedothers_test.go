package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestExportOfAnErasureWithOthersSaysWhatWasTheirs: erase -others erased
// the person's lead and a colleague's that named them, and the audit
// keeps totals: the person's export said "syncd erased 2 enquiries and 4
// records of what was sent ... to the CRM", the colleague's lead and its
// operations counted as the person's own. The erasure log now counts the
// other contacts' share, which erase says, and export says which part was
// not the person's, in the JSON (of_other_contacts), on stderr and in the
// text; of an erasure logged by an older syncd, which did not count, it
// says that some of it may have been others'.
func TestExportOfAnErasureWithOthersSaysWhatWasTheirs(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	postColleagues(t, d)
	waitFor(t, "both leads mapped", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-json", "-config", config)) == 4
	})
	out := syncdOK(t, "erase", "-config", config, "-email", "kim@firma.dk", "-others")
	if !strings.Contains(out, "erased: 2 events, 0 quarantined bodies, 4 outbox operations") ||
		!strings.Contains(out, "of these, other contacts' leads that name the person: 1 event, 0 quarantined bodies, 2 outbox operations") {
		t.Fatalf("erase -others does not say what of it was the colleague's:\n%s", out)
	}
	// The dry run's schedule may have sent the leads before the erase: their
	// CRM links are then erased too, and counted.
	text := regexp.MustCompile(`(?m)^  - at .* syncd erased 2 enquiries(?: and|,) 4 records of what was sent, or was to be sent, to the CRM(?: and 2 links to records in the CRM)?\n` +
		`     of these, 1 enquiry and 2 records of what was sent, or was to be sent, to the CRM were other people's, not yours`)
	check := func(counted bool, say, textSays *regexp.Regexp) {
		t.Helper()
		out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "kim@firma.dk")
		var ex struct {
			Erasures []struct {
				Events   int           `json:"events"`
				OfOthers *othersInJSON `json:"of_other_contacts"`
			} `json:"erasures"`
		}
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil || len(ex.Erasures) != 1 {
			t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
		}
		want := othersInJSON{Counted: counted}
		if counted {
			want = othersInJSON{Events: 1, Ops: 2, Counted: true}
		}
		if o := ex.Erasures[0].OfOthers; o == nil || *o != want {
			t.Errorf("export: erasure of_other_contacts %+v, want %+v", o, want)
		}
		if !say.MatchString(stderr) {
			t.Errorf("export's stderr does not say (%s) what of the erasure was other contacts':\n%s", say, stderr)
		}
		txt, stderr, code := syncdRun(t, "export", "-config", config, "-email", "kim@firma.dk", "-format", "text")
		if code != 0 || !textSays.MatchString(txt) {
			t.Errorf("export -format text: exit %d; does not say (%s) what of the erasure was not the person's:\n%s%s", code, textSays, txt, stderr)
		}
	}
	check(true, regexp.MustCompile(`erased at [^\n]*4 outbox operations, [02] CRM links, 0 CRM create intents; of this, other contacts' `+
		`leads that named the person \(not the person's own\): 1 event, 0 quarantined bodies, 2 outbox operations; no CRM erase queued`), text)

	// The entry as a syncd before this one logged it: -others, uncounted.
	logPath := filepath.Join(dir, "data", "syncd-erasures.jsonl")
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	old := regexp.MustCompile(`,"others_erased":\{[^}]*\}`).ReplaceAll(b, nil)
	if string(old) == string(b) {
		t.Fatalf("the erasure log does not count the others' share:\n%s", b)
	}
	if err := os.WriteFile(logPath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	check(false, regexp.MustCompile(`erase was given -others: some of this may be other contacts' leads`),
		regexp.MustCompile(`syncd erased 2 enquiries(?: and|,) 4 records [^\n]*\n     some of these may have been other people's enquiries that named you`))
}

// othersInJSON is an erasure's of_other_contacts in export's JSON.
type othersInJSON struct {
	Events      int  `json:"events"`
	Quarantined int  `json:"quarantined_bodies"`
	Ops         int  `json:"crm_operations"`
	Counted     bool `json:"counted"`
}
