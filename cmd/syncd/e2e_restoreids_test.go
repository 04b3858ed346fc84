package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestRestoredBackupGivesNoEventIDAgain follows the README's restore steps
// with events received after the backup: the senders were told their ids
// ("event_id" in the answer), the log and the workbook name them. The
// restored database used to hand those ids out again, so `syncd events show
// 3` named another lead than the one event 3 had been. Now the first start
// on the restore moves the ids past every id the lost database can have
// given, says so in its log, and an id in the gap is said to be one the
// restore may have lost. Quarantined bodies likewise: a workbook names
// them for `syncd events repair`, which would have repaired another body.
func TestRestoredBackupGivesNoEventIDAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	backup := filepath.Join(t.TempDir(), "syncd-backup.db")
	syncdOK(t, "backup", "-config", config, "-out", backup)
	lost := map[string]bool{}
	for _, f := range []string{"eaf/feed_import.json", "eaf/portal_submission_error.json"} {
		lost[postTestdata(t, d, f).ID] = true
	}
	broken := d.url + "/hooks/eaf/" + e2eEAFToken
	if id, err := quarantine(broken, `{"eaf_type": nope`); err != nil || id != "1" {
		t.Fatalf("a broken body: quarantine id %q %v", id, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	id := postTestdata(t, d, "lokalebasen/enquiry_created.json").ID
	q, err := quarantine(d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type": "nope`)
	if err != nil || q == "1" || q == "" {
		t.Errorf("a broken body after the restore: quarantine id %q %v; want one not given before", q, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || lost[id] || n <= 3 {
		t.Fatalf("the first event after the restore got id %s, given before the restore to another event (%v)\n%s", id, lost, d.log())
	}
	if !strings.Contains(d.log(), `"event_ids_from":`+id) {
		t.Errorf("the start did not say where event ids continue\n%s", d.log())
	}
	out, err := syncdCmd("events", "show", "-config", config, "2").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "restore") {
		t.Errorf("events show of an id the restore lost: %v\n%s", err, out)
	}
	out, err = syncdCmd("events", "repair", "-config", config, "1", config).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "quarantined body 1 not found: this database is a restored backup") {
		t.Errorf("events repair of a quarantine id the restore lost: %v\n%s", err, out)
	}
	// The restore's own quarantine row, just before the new ids, is said
	// as its event row is: it never had a body, and says why (it said
	// "the body is gone, but the database does not say why", BODY "gone").
	qn, _ := strconv.ParseInt(q, 10, 64)
	row := strconv.FormatInt(qn-1, 10)
	holds := "none: this row holds the ids before it, skipped when this restored backup was first written to at "
	list, _ := syncdCmd("events", "list", "-quarantined", "-config", config).CombinedOutput()
	shown, _ := syncdCmd("events", "show", "-quarantined", "-config", config, row).CombinedOutput()
	asJSON, _ := syncdCmd("events", "show", "-quarantined", "-json", "-config", config, row).CombinedOutput()
	if !strings.Contains(string(list), "none (restore)") || !strings.Contains(string(shown), holds) ||
		!strings.Contains(string(asJSON), `"body_gone": "`+holds) || strings.Contains(string(list)+string(shown)+string(asJSON), "does not say why") {
		t.Errorf("the restore's quarantine row %s: events list -quarantined:\n%s\nevents show -quarantined %s:\n%s\n-json:\n%s\nwant BODY none (restore) and %q",
			row, list, row, shown, asJSON, holds)
	}
}

// quarantine posts body, which does not parse, to url and returns the
// quarantine id the sender is told.
func quarantine(url, body string) (string, error) {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var a struct {
		Status string `json:"status"`
		ID     string `json:"quarantine_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.Status != "quarantined" {
		return "", fmt.Errorf("answer %d %+v %v", resp.StatusCode, a, err)
	}
	return a.ID, nil
}
