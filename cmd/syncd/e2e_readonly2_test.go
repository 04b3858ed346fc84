package main_test

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReadOnlyDiskReportReplayDryRun: on a read-only data disk (the WAL
// not checkpointed), `report -out FILE` writes the workbook elsewhere and
// `replay -dry-run` says what a replay would change: both only read. They
// used to exit 1 with "this command writes to the database"; `report`
// into the reports directory and `replay` still refuse, naming them.
func TestReadOnlyDiskReportReplayDryRun(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config, data, ids := crashedDaemonData(t)
	copenhagen, err := time.LoadLocation("Europe/Copenhagen") // report.time_zone's default
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "a dir with spaces", "leads today.xlsx")
	os.MkdirAll(filepath.Dir(out), 0o700)
	stdout, stderr, code := onReadOnlyData(t, data, "report", "-date", time.Now().In(copenhagen).Format("2006-01-02"),
		"-out", out, "-config", config)
	if code != 0 || strings.TrimSpace(stdout) != out || !strings.Contains(stderr, "the database was opened read-only") {
		t.Fatalf("report -out on a read-only disk: exit %d\n%s%s", code, stdout, stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("no workbook at %s: %v", out, err)
	}

	stdout, stderr, code = onReadOnlyData(t, data, "replay", "-dry-run", "-config", config)
	if code != 0 || !strings.Contains(stdout, "replay: "+strconv.Itoa(len(ids))+" events, ") ||
		!strings.Contains(stdout, "would enqueue") || !strings.Contains(stderr, "the database was opened read-only") {
		t.Fatalf("replay -dry-run on a read-only disk: exit %d\n%s%s", code, stdout, stderr)
	}

	for _, args := range [][]string{{"report"}, {"replay"}} {
		stdout, stderr, code := onReadOnlyData(t, data, append(args, "-config", config)...)
		if code != 2 || !strings.Contains(stderr, "this command writes to the database") ||
			!strings.Contains(stderr, "report -out FILE, replay -dry-run, crm check") {
			t.Errorf("syncd %v on a read-only disk: exit %d, want 2 (as serve: the disk is a person's to mend) naming the commands that read\n%s%s", args, code, stdout, stderr)
		}
	}
}

// TestReadOnlyDiskCRMCheck: `crm check` on Pipedrive over a read-only data
// disk reads the field keys kept there, so a field renamed in Pipedrive is
// named as such, and says that the keys of the fields it found that were
// not kept yet could not be kept, rather than fail. It used to open the
// database for writing, fail ("going on without it") and report the
// renamed field as missing.
func TestReadOnlyDiskCRMCheck(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	needTmpfs(t)
	dir := t.TempDir()
	fake, fakeURL, config := setUpPipedrive(t, dir)
	key := fieldKey(t, fake, "syncd comment")
	renameField(t, fakeURL+"/dealFields/"+key, "Comment from the portal")
	data := filepath.Join(dir, "data")
	forgetFieldKey(t, filepath.Join(data, "syncd.db"), "pipedrive field deals syncd comment")

	out, stderr, code := onReadOnlyData(t, data, "crm", "check", "-config", config)
	t.Logf("syncd crm check on a read-only disk, exit %d:\n%s%s", code, out, stderr)
	if code != 2 {
		t.Fatalf("check: exit %d, want 2 (the rename)", code)
	}
	mustContain(t, "check", out, `deal field "syncd comment" was renamed to "Comment from the portal" in Pipedrive (key `+key+`)`)
	mustContain(t, "check", stderr, "the database was opened read-only", "cannot write "+filepath.Join(data, "syncd.db"),
		"the keys of 1 field found were not kept, the database being read-only")
	if strings.Contains(stderr, "going on without it") {
		t.Fatalf("the check went on without the kept keys:\n%s", stderr)
	}
	out, stderr, code = onReadOnlyData(t, data, "crm", "setup", "-dry-run", "-config", config)
	if code != 0 || !strings.Contains(out, `was renamed to "Comment from the portal"`) || !strings.Contains(out, "dry run: nothing was changed") ||
		!strings.Contains(stderr, "the database was opened read-only") {
		t.Fatalf("crm setup -dry-run on a read-only disk: exit %d\n%s%s", code, out, stderr)
	}
}

// forgetFieldKey deletes from the database at path every kept field key
// but keep's, as if the check had found those fields first.
func forgetFieldKey(t *testing.T, path, keep string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`DELETE FROM state WHERE name IN
		(SELECT name FROM state WHERE name LIKE 'pipedrive field %' AND name != ? ORDER BY name LIMIT 1)`, keep)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("forget a field key: %d rows deleted, want 1", n)
	}
}

// TestReportMailedButNotRecorded: `syncd report -mail` mails the report
// and the database refuses to record it (full, as a trigger makes it
// here): the command says the report was mailed and does not advise
// running it again, which would mail it twice (it used to).
func TestReportMailedButNotRecorded(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	file := writeConfigWith(t, dir, "report:\n"+mailTo(smtp.Host, smtp.Port))
	makeDB(t, dir)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "data", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER full BEFORE UPDATE OF mail_state ON reports
		WHEN NEW.mail_state = 'sent' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "report", "-mail", "-config", file)
	if code == 0 || len(smtp.Messages()) != 1 || !strings.Contains(stderr, "mailed, but recording that failed") ||
		strings.Contains(stderr, "run the same command again") {
		t.Fatalf("report -mail, mailed but not recorded: exit %d, %d messages\n%s", code, len(smtp.Messages()), stderr)
	}
}

// TestCRMCheckOnHubSpotLeavesTheDatabase: HubSpot keeps no field keys, so
// `crm check` has no use for the database: over one it cannot open (here
// a damaged copy) it used to say "going on without it (a field renamed in
// the CRM is not recognised)", which is not so for HubSpot, before its
// findings. It says nothing of the database now.
func TestCRMCheckOnHubSpotLeavesTheDatabase(t *testing.T) {
	t.Parallel()
	fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fakeURL := fake.Start()
	t.Cleanup(func() { fake.Close() })
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(crmConfig(dir, fakeURL, e2eLBToken)), 0o600)
	os.MkdirAll(filepath.Join(dir, "data"), 0o700)
	if err := os.WriteFile(filepath.Join(dir, "data", "syncd.db"), bytes.Repeat([]byte("not sqlite"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	if code != 2 || !strings.Contains(out, "property syncd_source does not exist on deals") || stderr != "" {
		t.Fatalf("crm check on HubSpot beside a damaged database: exit %d, want 2 and nothing on stderr\n%s%s", code, out, stderr)
	}
}

// TestCommandsRefuseAnEmptyDatabaseFile: a database copied from another
// machine by a copy that did not finish is an empty file. The commands
// that read used to make a new database of it (writing the schema into
// the operator's copy) and answer from that, e.g. an empty events list,
// exit 0; they now refuse, exit 2 (a person's to mend:
// TestDataOnlyAPersonMendsExits2), saying what the file is, and leave it
// as it was.
func TestCommandsRefuseAnEmptyDatabaseFile(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	os.MkdirAll(filepath.Dir(db), 0o700)
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"events", "list"}, {"outbox", "list"}, {"status"}, {"export", "-email", "someone@example.com"},
		{"replay", "-dry-run"}, {"report", "-out", filepath.Join(dir, "r.xlsx")}, {"backup", "-out", filepath.Join(dir, "b.db")},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		want := 2
		if args[0] == "status" {
			want = 5 // no daemon answering either: status's finding, not its failure
		}
		if code != want || !strings.Contains(stderr, db+" is empty (0 bytes), not a database syncd made") {
			t.Errorf("syncd %v over an empty database file: exit %d, want %d saying it is empty\n%s%s", args, code, want, out, stderr)
		}
	}
	if st, err := os.Stat(db); err != nil || st.Size() != 0 {
		t.Fatalf("the empty file was written: %v %v", st.Size(), err)
	}
}
