package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// e2ePerson is a lead's person and the fixtures rewritten to name them.
type e2ePerson struct{ name, email, phone, eafID string }

var (
	e2eJane = e2ePerson{"Jane Erasmus", "Jane.Erasmus@Example.com", "20 12 34 56", "11122233344455566677788"}
	e2eBob  = e2ePerson{"Bob Keeper", "bob.keeper@example.org", "31 98 76 54", "99988877766655544433322"}
)

// needles are what must be gone: name, and the surname alone (a name the
// report or the CRM holds split in two), email (any case), phone as sent
// and as E.164.
func (p e2ePerson) needles() []string {
	names := strings.Fields(p.name)
	return []string{p.name, names[len(names)-1], strings.ToLower(p.email), p.phone, "+45" + strings.ReplaceAll(p.phone, " ", "")}
}

// deliveries are the person's leads as (source, body): a Lokalebasen extra
// lead as the sender's own example has it (trailing commas: leniently
// parsed), a direct one, an Estate Agent Feeds email lead, and a body that
// does not parse at all (quarantined).
func (p e2ePerson) deliveries(t *testing.T) [][2]string {
	t.Helper()
	lb, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	eaf, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	extra := strings.NewReplacer("angela7913@hotmail.com", p.email, "Angela Baker", p.name,
		"52 25 05 59", p.phone).Replace(string(lb))
	direct := strings.NewReplacer(`"extra"`, `"direct"`, "grand view", "small garden").Replace(extra)
	email := strings.NewReplacer("EAF Support", p.name, "support@estateagentfeeds.com", p.email,
		"+44(0)20 3870 4550", "+45 "+p.phone, "77722226661727188822717", p.eafID).Replace(string(eaf))
	broken := `{"eaf_type": "email_lead" "contact_name": "` + p.name + `", "contact_email": "` + strings.ToUpper(p.email) + `"`
	return [][2]string{{"lokalebasen", extra}, {"lokalebasen", direct}, {"eaf", email}, {"eaf", broken}}
}

// e2eHits returns which needles occur, ignoring case, in the database, its
// WAL, and the reports directory (workbooks searched inside their zip).
func e2eHits(t *testing.T, data string, needles []string) []string {
	t.Helper()
	var hits []string
	filepath.WalkDir(data, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".bak") {
			return nil
		}
		b, _ := os.ReadFile(p)
		if strings.HasSuffix(p, ".xlsx") {
			b = unzipAll(t, b)
		}
		b = bytes.ToLower(b)
		for _, n := range needles {
			if c := bytes.Count(b, []byte(strings.ToLower(n))); c > 0 {
				hits = append(hits, filepath.Base(p)+": "+n)
			}
		}
		return nil
	})
	return hits
}

func unzipAll(t *testing.T, b []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	var all bytes.Buffer
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&all, rc)
		rc.Close()
	}
	return all.Bytes()
}

// waitMapped waits until syncd events list of config shows no event
// waiting to be mapped.
func waitMapped(t *testing.T, config string) {
	t.Helper()
	waitFor(t, "mapping", func() bool {
		for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
			if ev["map_state"] == "pending" {
				return false
			}
		}
		return true
	})
}

// syncdOK runs a syncd command that must succeed and returns its stdout.
func syncdOK(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := syncdRun(t, args...)
	if code != 0 {
		t.Fatalf("syncd %v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

func mustMode(t *testing.T, p string, want fs.FileMode) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != want {
		t.Errorf("%s: mode %o, want %o", filepath.Base(p), m, want)
	}
}

// TestEraseBesideRunningDaemon is the whole erasure, under umask 022: a
// person's leads of every kind and a report listing them, erased while the
// daemon serves; then nothing of them is left in the database, its WAL or
// the reports, the others' data is, and a retried delivery stays a
// duplicate. Files are checked for their modes on the way.
func TestEraseBesideRunningDaemon(t *testing.T) {
	t.Parallel()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	d := start(t, config)
	post1 := func(src, body string) answer {
		tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[src]
		a, err := post(d.url+"/hooks/"+src+"/"+tok, []byte(body))
		if err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
		return a
	}
	for _, p := range []e2ePerson{e2eJane, e2eBob} {
		for _, dl := range p.deliveries(t) {
			post1(dl[0], dl[1])
		}
	}
	waitMapped(t, config)
	today := leadsDay(t, config)
	workbook := strings.TrimSpace(syncdOK(t, "report", "-config", config, "-date", today))
	backup := filepath.Join(dir, "syncd.db.bak")
	syncdOK(t, "backup", "-config", config, "-out", backup)

	mustMode(t, data, 0o750)
	for _, f := range []string{"syncd.db", "syncd.db-wal", "syncd.db-shm"} {
		mustMode(t, filepath.Join(data, f), 0o600)
	}
	mustMode(t, filepath.Dir(workbook), 0o750)
	mustMode(t, workbook, 0o640)
	mustMode(t, backup, 0o600)
	if hits := strings.Join(e2eHits(t, data, e2eJane.needles()), "\n"); !regexp.MustCompile(`(?m)^syncd\.db(-wal)?: `+e2eJane.name+`$`).MatchString(hits) ||
		!strings.Contains(hits, filepath.Base(workbook)+": Erasmus") { // the workbook splits the name, as the mappings do
		t.Fatalf("before the erase the search finds only\n%s", hits)
	}

	// The daemon may be sending the person's operations as the erase
	// comes (a loaded machine's sync run outlasts the mapping): the erase
	// then exits 4, "try again once delivered", as the operator would.
	var out string
	waitFor(t, "an erase not held up by a delivery", func() bool {
		o, errOut, code := syncdRun(t, "erase", "-config", config, "-email", strings.ToUpper(e2eJane.email))
		if code != 0 && code != 4 {
			t.Fatalf("syncd erase: exit %d\n%s%s", code, o, errOut)
		}
		out = o
		return code == 0
	})
	t.Logf("erase:\n%s", out)
	if !strings.Contains(out, "erased: 3 events, 1 quarantined body") || !strings.Contains(out, "report rewritten: "+workbook) {
		t.Errorf("erase printed:\n%s", out)
	}
	if strings.Contains(strings.ToLower(out), "jane") {
		t.Errorf("erase printed personal data:\n%s", out)
	}
	if hits := e2eHits(t, data, e2eJane.needles()); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}
	if hits := e2eHits(t, data, e2eBob.needles()); len(hits) < 4 {
		t.Errorf("Bob's data is not all there: %v", hits)
	}
	for i, dl := range e2eJane.deliveries(t) {
		want := map[bool]string{false: "duplicate", true: "quarantined"}[i == 3]
		if a := post1(dl[0], dl[1]); a.Status != want {
			t.Errorf("a retried delivery of an erased lead: %+v, want %s", a, want)
		}
	}
	if hits := e2eHits(t, data, e2eJane.needles()); len(hits) > 0 {
		t.Errorf("after the retries: %v", hits)
	}
	if ex := syncdOK(t, "export", "-config", config, "-email", e2eJane.email); !strings.Contains(ex, `"events": []`) {
		t.Errorf("export after the erase:\n%s", ex)
	}
	if ex := syncdOK(t, "export", "-config", config, "-phone", "+45"+e2eBob.phone); strings.Count(ex, `"source"`) < 3 ||
		!strings.Contains(ex, e2eBob.name) {
		t.Errorf("Bob's export:\n%s", ex)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if logs := strings.ToLower(d.log()); strings.Contains(logs, "jane") || strings.Contains(logs, "keeper") {
		t.Errorf("personal data in the daemon's log:\n%s", logs)
	}
}

// TestErasePhoneHoweverItWasWritten: leads name the person's phone as
// senders write it ("+45 20-12-34-56", Estate Agent Feeds' own
// "+44(0)20 3870 4550"); export and erase by the number as the operator
// types it find them and leave nothing, and a lead that only has a date
// with the same digits is not theirs.
func TestErasePhoneHoweverItWasWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	lb, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	eaf, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	leads := []struct{ src, tok, body string }{
		{"lokalebasen", e2eLBToken, strings.NewReplacer("52 25 05 59", "+45 20-12-34-56", "Angela Baker", "Dora Dash").Replace(string(lb))},
		{"eaf", e2eEAFToken, strings.NewReplacer("EAF Support", "Una Kingdom").Replace(string(eaf))},
		{"lokalebasen", e2eLBToken, strings.NewReplacer("52 25 05 59", "31 98 76 54", "angela7913", "other",
			"grand view", "view from 2012-12-03 on").Replace(string(lb))},
	}
	for _, l := range leads {
		if a, err := post(d.url+"/hooks/"+l.src+"/"+l.tok, []byte(l.body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil { // no operation in flight to refuse the erase
		t.Fatal(err)
	}
	for _, c := range []struct{ phone, name string }{{"20 12 34 56", "Dora Dash"}, {"+44 20 3870 4550", "Una Kingdom"}} {
		ex := syncdOK(t, "export", "-config", config, "-phone", c.phone)
		if strings.Count(ex, `"source"`) != 1 || !strings.Contains(ex, c.name) {
			t.Errorf("export -phone %q:\n%s", c.phone, ex)
		}
		if out := syncdOK(t, "erase", "-config", config, "-phone", c.phone); !strings.HasPrefix(out, "erased: 1 event") {
			t.Errorf("erase -phone %q: %s", c.phone, out)
		}
		if hits := e2eHits(t, filepath.Join(dir, "data"), []string{c.name}); len(hits) > 0 {
			t.Errorf("after erase -phone %q: %v", c.phone, hits)
		}
	}
	if ex := syncdOK(t, "export", "-config", config, "-phone", "20 12 12 03"); !strings.Contains(ex, `"events": []`) {
		t.Errorf("a date with a phone's digits names nobody:\n%s", ex)
	}
}

// TestPrivacyCommandsSayWhatIsWrong: an address given without -email, or a
// phone number with spaces not quoted, is said to be the problem (the
// commands exited 2 in silence), and nothing is erased.
func TestPrivacyCommandsSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config := writeConfig(t, t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"erase", "-config", config, "jane@example.com"}, `syncd erase: unexpected argument "jane@example.com"`},
		{[]string{"erase", "-config", config, "-email", "jane@example.com", "-phone", "20", "12", "34", "56"}, `unexpected argument "12"`},
		{[]string{"export", "-config", config, "-phone", "+45", "20123456"}, `syncd export: unexpected argument "20123456"`},
		{[]string{"erase", "-config", config, "-email", "jane@example.com", "-crm", "yes"}, `unexpected argument "yes"`},
		{[]string{"purge", "-config", config, "now"}, `syncd purge: unexpected argument "now"`},
	} {
		out, stderr, code := syncdRun(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || out != "" {
			t.Errorf("syncd %v: exit %d\nstdout: %s\nstderr: %s", c.args[3:], code, out, stderr)
		}
	}
}

// TestMigrateStoreKeepsTheErasureAudit: moving to PostgreSQL carries the
// erasure audit trail and which quarantined bodies were erased (they were
// left behind in the SQLite file, which the operator then deletes).
func TestMigrateStoreKeepsTheErasureAudit(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	lite := writeConfig(t, dir)
	d := start(t, lite)
	broken := `{"eaf_type": "email_lead" "contact_email": "jane@example.com"`
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(broken)); err != nil || a.Status != "quarantined" {
		t.Fatalf("post: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out := syncdOK(t, "erase", "-config", lite, "-email", "jane@example.com")
	hash := regexp.MustCompile(`audit: subject ([0-9a-f]{64})`).FindStringSubmatch(out)
	if !strings.Contains(out, "1 quarantined body,") || hash == nil {
		t.Fatalf("erase: %s", out)
	}
	pg := filepath.Join(dir, "postgres.yaml")
	cfg, _ := os.ReadFile(lite)
	os.WriteFile(pg, append(cfg, pgStore(t, dir, dsn)...), 0o600)
	if out := syncdOK(t, "migrate-store", "-to", "postgres", "-config", pg); !strings.Contains(out, "erasures   1 row") ||
		!strings.Contains(out, filepath.Join(dir, "data", "syncd.db")+" still holds every lead") {
		t.Errorf("migrate-store: %s", out)
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var got string
	var erased int
	err = conn.QueryRow(context.Background(), `SELECT (SELECT subject_hash FROM erasures),
		(SELECT count(*) FROM quarantine WHERE erased_at IS NOT NULL)`).Scan(&got, &erased)
	if err != nil || got != hash[1] || erased != 1 {
		t.Errorf("on PostgreSQL: audit %q, %d erased quarantined bodies, %v; want %s and 1", got, erased, err, hash[1])
	}
}

// TestExportSaysWhenThePersonWasErased: a data-protection officer asking
// "was she erased, and when?" gets it from export (it was in the audit
// trail, readable only with sqlite3 and the salt): the JSON's erasures
// with the counts, and an "erased at" line; nothing for someone else.
func TestExportSaysWhenThePersonWasErased(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	erasures := func(email string) ([]any, string) {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-email", email)
		var ex map[string]any
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
			t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
		}
		list, _ := ex["erasures"].([]any)
		return list, stderr
	}
	if list, stderr := erasures("angela7913@hotmail.com"); len(list) != 0 || strings.Contains(stderr, "erased") {
		t.Fatalf("before the erase: %v %s", list, stderr)
	}
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	list, stderr := erasures("Angela7913@hotmail.com")
	if len(list) != 1 || !strings.Contains(stderr, "syncd export: erased at ") ||
		!strings.Contains(stderr, ": 1 event, 0 quarantined bodies") || !strings.Contains(stderr, "no CRM erase queued") {
		t.Fatalf("after the erase: %v\n%s", list, stderr)
	}
	er := list[0].(map[string]any)
	if at, _ := er["at"].(string); er["events"] != 1.0 || er["crm_erase_operations_queued"] != 0.0 || !strings.HasPrefix(at, "20") {
		t.Errorf("erasure %v", er)
	}
	if list, stderr := erasures("someone@example.com"); len(list) != 0 || strings.Contains(stderr, "erased at") {
		t.Errorf("someone else: %v %s", list, stderr)
	}
}

// TestExportByTheEmailFindsAnErasureByEmailAndPhone: the README advises
// erasing by -email and -phone when both are known. The audit then named
// the erasure by both together, so the export a DPO runs when the person
// asks "was I erased?" by their email alone said `"erasures": []` and
// nothing on stderr, as for someone never erased. The audit now names an
// erasure by the email when one was given: an export by it finds it, with
// or without the phone; one by the phone alone still does not (the
// number may be another's too).
func TestExportByTheEmailFindsAnErasureByEmailAndPhone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := storedAngela(t)
	said := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com", "-phone", "52 25 05 59")
	for _, args := range [][]string{
		{"-email", "Angela7913@hotmail.com"},
		{"-email", "angela7913@hotmail.com", "-phone", "52 25 05 59"},
		// By the phone alone it said "erasures": [] (the audit keeps the
		// email's hash), though it named the backup holding her from the
		// erasure log: a DPO asked by phone took her as never erased.
		{"-phone", "+45 52 25 05 59"},
	} {
		out, stderr, code := syncdRun(t, append([]string{"export", "-config", config}, args...)...)
		var ex struct {
			Erasures []struct {
				SubjectHash string `json:"subject_hash"`
			} `json:"erasures"`
		}
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
			t.Fatalf("export %v: exit %d, %v\n%s%s", args, code, err, out, stderr)
		}
		if len(ex.Erasures) != 1 || !strings.Contains(said, "audit: subject "+ex.Erasures[0].SubjectHash+" ") ||
			!strings.Contains(stderr, "syncd export: erased at ") {
			t.Errorf("export %v after the erase by email and phone: erasures %+v\nstderr: %s\nerase said: %s", args, ex.Erasures, stderr, said)
		}
	}
}

// TestEraseOfNobodySaysNothingWasFound: an address mistyped in an erase
// (exmaple.com) erased nothing, and erase said "erased: 0 events, ..."
// followed by what backups, the erasure log and the audit keep of "the
// person", as after a real erasure: a DPO reading it took the request as
// done. It now says that nothing was found under what it was given, and
// how to look.
func TestEraseOfNobodySaysNothingWasFound(t *testing.T) {
	t.Parallel()
	_, config := storedAngela(t)
	// export of a mistyped address said nothing but empty lists, exit 0: a
	// DPO would answer the person that syncd holds nothing about them.
	_, stderr, code := syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmial.com", "-format", "text")
	if code != 0 || !strings.Contains(stderr, "syncd export: nothing found: syncd holds nothing under the email given") {
		t.Errorf("export of an address syncd never held: exit %d, said on stderr:\n%s", code, stderr)
	}
	if _, stderr, _ := syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmail.com"); strings.Contains(stderr, "nothing found") {
		t.Errorf("export of the person said nothing was found:\n%s", stderr)
	}
	out := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmial.com")
	if !strings.Contains(out, "nothing found: syncd holds nothing under the email given") || !strings.Contains(out, "syncd export") {
		t.Errorf("erase of an address syncd never held said:\n%s", out)
	}
	// It is recorded all the same, and says why (it said only that it was):
	// the audit answers the request, and a backup restored later that holds
	// the person is erased again.
	mustContain(t, "erase of an address syncd never held", out, "the erasure is recorded all the same, on purpose: "+
		"the audit shows the request was answered", "should a backup that holds the person be restored, its first start erases them again")
	if out := syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com"); strings.Contains(out, "nothing found") {
		t.Errorf("erase of the person said nothing was found:\n%s", out)
	}
}
