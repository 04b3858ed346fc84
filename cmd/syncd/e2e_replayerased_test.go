package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReplaySaysWhatItLeftErased: Jane's two leads are erased (syncd
// erase), Bob's stays; a replay since the morning looks at Bob's lead
// alone, as the events list still shows three. The replay says it left
// the two erased events out and why, so an operator counting `events
// list` against the replay's events is not left to guess, and its
// numbers add up to what the list shows.
func TestReplaySaysWhatItLeftErased(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "")
	d := start(t, config)
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		for _, dl := range p.deliveries(t)[1:3] {
			tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[dl[0]]
			if a, err := post(d.url+"/hooks/"+dl[0]+"/"+tok, []byte(dl[1])); err != nil || a.Status != "accepted" {
				t.Fatalf("post: %+v %v", a, err)
			}
			if p == e2eBob {
				break // Bob's Lokalebasen lead only
			}
		}
	}
	waitFor(t, "the leads mapped", func() bool {
		evs := syncdJSON(t, "events", "list", "-json", "-config", config)
		for _, ev := range evs {
			if ev["map_state"] == "pending" {
				return false
			}
		}
		return len(evs) == 3
	})
	if out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email); !strings.HasPrefix(out, "erased: 2 events") {
		t.Fatalf("erase:\n%s", out)
	}
	if n := len(syncdJSON(t, "events", "list", "-json", "-config", config)); n != 3 {
		t.Fatalf("events list shows %d events, want 3 (two of them erased)", n)
	}
	for _, args := range [][]string{{"replay", "-dry-run"}, {"replay"}} {
		out := syncdOK(t, append(args, "-since", "24h", "-config", config)...)
		if !strings.Contains(out, "replay: 1 event,") {
			t.Errorf("%s looked at other than Bob's one event:\n%s", args, out)
		}
		const left = "replay: left out 2 events erased or purged (syncd erase, retention): their bodies are no longer kept"
		if !strings.Contains(out, left) {
			t.Errorf("%s does not say what it left out (%q):\n%s", args, left, out)
		}
		if strings.Contains(out, e2eJane.email) || strings.Contains(strings.ToLower(out), strings.ToLower(e2eJane.email)) {
			t.Errorf("%s names Jane:\n%s", args, out)
		}
	}
}

// TestReplayDoesNotCountARestoresRowAsErased: after the README's restore,
// the first start writes a row of its own (source syncd, type restore)
// holding the event ids before it, with no body. A replay counted it
// among the events "erased or purged (syncd erase, retention)", so an
// operator read that a lead had been erased where none was. It is now
// counted apart, as a row syncd wrote itself, and the numbers still add
// up to what events list shows.
func TestReplayDoesNotCountARestoresRowAsErased(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	d = start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := len(syncdJSON(t, "events", "list", "-json", "-config", config)); n != 3 {
		t.Fatalf("events list shows %d events, want 3 (two leads and the restore's row)", n)
	}
	out := syncdOK(t, "replay", "-dry-run", "-config", config)
	const own = "replay: left out 1 row syncd wrote itself, which hold no lead (source syncd: a restore's"
	if !strings.Contains(out, "replay: 2 events,") || !strings.Contains(out, own) || strings.Contains(out, "erased or purged") {
		t.Errorf("replay -dry-run after a restore:\n%s\nwant the two leads replayed and the restore's row said as %q, no event erased or purged", out, own)
	}
}
