package main_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRestoredBackupErasesAgainWhoWasErasedAfterIt follows the README's
// restore steps after a person was erased (with -crm) since the backup was
// taken, the operator not running that erase again: the restored database
// held the person's lead again, body and all, and the daemon said nothing
// of it. Now erase also records the erasure beside the database (keyed
// hashes, no identifier in clear), and the first start on the restore
// erases the person again before it maps or sends anything, and says so.
func TestRestoredBackupErasesAgainWhoWasErasedAfterIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-email", "Support@EstateAgentFeeds.com", "-crm")
	waitForRecords(t, fake, d, 0, 0, "the erase")
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // after the backup: the restore does not hold it
	// Sent first: an erase refuses a person whose operations are being
	// delivered (exit 4, try again), as the syncer may be doing right now.
	waitForRecords(t, fake, d, 1, 1, "the second lead")
	said := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if !strings.Contains(said, "erasure log: "+filepath.Join(dir, "data", "syncd-erasures.jsonl")+" records it") {
		t.Errorf("erase did not name the erasure log to copy off the server:\n%s", said)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(filepath.Join(dir, "data", "syncd-erasures.jsonl"))
	if err != nil || strings.Contains(strings.ToLower(string(log)), "estateagentfeeds") {
		t.Fatalf("the erasure log beside the database: %v\n%s", err, log)
	}

	restore(t, backup, db)
	d = start(t, config)
	out := syncdOK(t, "events", "show", "-config", config, "1")
	if !strings.Contains(out, "erased by syncd erase") || strings.Contains(out, "estateagentfeeds") {
		t.Errorf("the lead of the person erased after the backup, on the restore:\n%s\n%s", out, d.log())
	}
	if !strings.Contains(d.log(), "erasure made after the backup was taken applied again") || strings.Contains(d.log(), "undone") {
		t.Errorf("the first start on the restore did not say it erased the person again, or said a lead it does not hold is undone:\n%s", d.log())
	}
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "UNDONE") {
		t.Errorf("status on the restore once the erasure was made again: exit %d\n%s", code, out)
	}
	// The keyed hash of the person's email (the audit's subject) stays in
	// the journal past retention.erasure_days: no such hash above debug.
	var exported struct {
		Erasures []struct {
			SubjectHash string `json:"subject_hash"`
		} `json:"erasures"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", "support@estateagentfeeds.com")), &exported); err != nil ||
		len(exported.Erasures) == 0 {
		t.Fatalf("export of the person erased again: %v %+v", err, exported)
	}
	for _, er := range exported.Erasures {
		if strings.Contains(d.log(), er.SubjectHash) {
			t.Errorf("the log names the erased person's subject hash %s:\n%s", er.SubjectHash, d.log())
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if l := strings.ToLower(d.log()); strings.Contains(l, "estateagentfeeds") || strings.Contains(l, "angela") {
		t.Errorf("the log names the person:\n%s", d.log())
	}
	d = start(t, config) // a second start finds it done and does not erase again
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.log(), "applied again") || strings.Contains(d.log(), "undone by the restore") {
		t.Errorf("the second start on the restore erased again:\n%s", d.log())
	}
}

// TestRestoredBackupNamesTheErasureItCannotMakeAgain: a person erased by
// phone after the backup, whose contact is keyed by email, cannot be told
// among the restore's contacts from the keyed hashes of the phone. The
// restore used to hold them again without a word; now the first start
// says so in the log, and `syncd status` names the erasure (exit 5) until
// the operator runs it again.
func TestRestoredBackupNamesTheErasureItCannotMakeAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, config, db, d := startWithTheLead(t, dir)
	waitForRecords(t, fake, d, 1, 1, "the lead")
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-phone", "+44 20 3870 4550")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, db)
	d = start(t, config)
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "ERASURE UNDONE") || !strings.Contains(out, "run syncd erase again") {
		t.Errorf("status on the restore that holds an erased person again: exit %d\n%s", code, out)
	}
	if !strings.Contains(d.log(), "undone by the restore") {
		t.Errorf("the first start did not say the erasure is undone:\n%s", d.log())
	}
	syncdOK(t, "erase", "-config", config, "-phone", "+44 20 3870 4550")
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 0 || strings.Contains(out, "UNDONE") || !strings.Contains(out, "restored") {
		t.Errorf("status once the erasure was made again: exit %d\n%s", code, out)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestErasureLogIsTheDataOwners: `sudo syncd erase` (root) over data
// owned by the service user made the erasure log root's, mode 0600: the
// daemon could not read it on a restore, and the next erase run as the
// service user could not add to it. Now the log is the data directory's
// owner's, as SQLite makes the WAL it creates as root.
func TestErasureLogIsTheDataOwners(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	err := filepath.WalkDir(data, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, int(as.Uid), int(as.Gid))
	})
	if err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com") // as root
	st, err := os.Stat(filepath.Join(data, "syncd-erasures.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if sys := st.Sys().(*syscall.Stat_t); sys.Uid != as.Uid || st.Mode().Perm() != 0o600 {
		t.Errorf("the erasure log root's erase made: owner %d, mode %o; want %d (the data's owner), 0600", sys.Uid, st.Mode().Perm(), as.Uid)
	}
}

// TestEachErasureIsLoggedOnce: one `syncd erase` wrote its entry into the
// erasure log twice, so the first start on a restored backup erased the
// person twice over and logged each erasure twice (the second with nothing
// left to erase). Now one erase is one entry.
func TestEachErasureIsLoggedOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	log, err := os.ReadFile(filepath.Join(dir, "data", "syncd-erasures.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	// The salt's line, then one line for the erase.
	if lines := strings.Split(strings.TrimSuffix(string(log), "\n"), "\n"); len(lines) != 2 {
		t.Errorf("the erasure log after one erase holds %d lines, want 2 (its salt, the erasure):\n%s", len(lines), log)
	}
}

// TestRestoredBackupLogsNoOtherPersonsContact: a lead of Angela's whose
// message names Support's address; Angela erased by her phone (her contact
// is keyed by her email), then Support by email, both after the backup.
// On the restore syncd cannot tell Angela from the keyed hashes of her
// phone, so her lead, still naming Support, stops Support's erasure: the
// error line said so with "angela7913@hotmail.com: event 2", another
// person's address in clear in the journal. Now it names the events only.
func TestRestoredBackupLogsNoOtherPersonsContact(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	enquiry, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	naming := strings.Replace(string(enquiry), "I would like something with a grand view over the city.",
		"Please copy my colleague at support@estateagentfeeds.com.", 1)
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(naming)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "both leads mapped", func() bool {
		out, _, _ := syncdRun(t, "events", "list", "-config", config)
		return strings.Count(out, "mapped") == 2
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	backup := backUp(t, config)
	syncdOK(t, "erase", "-config", config, "-phone", "52 25 05 59")
	syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")

	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.log(), "undone by the restore: other contacts' leads name the person in their message (event 2)") {
		t.Fatalf("the first start on the restore did not say which lead stopped the erasure:\n%s", d.log())
	}
	for _, line := range strings.Split(d.log(), "\n") {
		if l := strings.ToLower(line); !strings.Contains(l, `"level":"debug"`) &&
			(strings.Contains(l, "angela") || strings.Contains(l, "estateagentfeeds") || strings.Contains(l, "25 05 59")) {
			t.Errorf("a person's contact in the log: %s", line)
		}
	}
}
