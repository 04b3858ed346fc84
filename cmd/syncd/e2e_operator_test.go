package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// makeDB creates the database of a configuration configYAML wrote in dir,
// as the daemon's first start does, for commands run before any daemon.
func makeDB(t *testing.T, dir string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestCommandsRefuseAMissingDatabase: a command run where the
// configuration's data_dir holds no database (a relative data_dir read
// from another working directory, a SYNCD_DATA_DIR the shell lacks) says
// so, naming the path it looked at, and creates nothing: it used to create
// an empty database there and answer from it, e.g. an empty events list
// or export, with exit 0.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: ./data", 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir() // the operator's shell is not in the daemon's directory
	for _, args := range [][]string{
		{"events", "list"}, {"outbox", "list"}, {"status"}, {"replay", "-dry-run"},
		{"export", "-email", "someone@example.com"}, {"purge"},
	} {
		cmd := syncdCmd(append(args, "-config", file)...)
		cmd.Dir = elsewhere
		out, err := cmd.CombinedOutput()
		want := "no database at " + filepath.Join(elsewhere, "data", "syncd.db")
		code := 1
		if args[0] == "status" {
			code = 5 // no daemon answering either: status's finding, not its failure
		}
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != code || !strings.Contains(string(out), want) {
			t.Errorf("syncd %v: %v, want exit %d saying %q:\n%s", args, err, code, want, out)
		}
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
		t.Errorf("commands created %s in the working directory", entries[0].Name())
	}

	// Where syncd kept a database that is gone, they say that instead.
	makeDB(t, elsewhere)
	for _, f := range []string{"syncd.db", "syncd.db-wal", "syncd.db-shm"} {
		os.Remove(filepath.Join(elsewhere, "data", f))
	}
	cmd := syncdCmd("events", "list", "-config", file)
	cmd.Dir = elsewhere
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "though syncd kept one there: restore it from a backup") {
		t.Errorf("database lost: %v\n%s", err, out)
	}
}

// TestMisspeltEventTypeIsWarned: a rule whose event type its sender does
// not document (here a typo, which would leave every lead of the type
// meant ignored) is a warning with its file and line: validate prints it
// and exits 0, the daemon logs it at start and on SIGHUP. Validate used
// to say only "ok".
func TestMisspeltEventTypeIsWarned(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	os.Mkdir(maps, 0o755)
	shipped, _ := os.ReadFile("../../mappings/hubspot/eaf.yaml")
	typo := strings.Replace(string(shipped), "event: email_lead", "event: email_leads", 1)
	if err := os.WriteFile(filepath.Join(maps, "eaf.yaml"), []byte(typo), 0o644); err != nil {
		t.Fatal(err)
	}
	good, _ := filepath.Abs("../../mappings/hubspot")
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), good, maps, 1)), 0o600)
	want := `maps/eaf.yaml:37: rule "eaf-email-lead": event "email_leads" is not among the eaf event types syncd knows`
	_, stderr, code := syncdRun(t, "validate", "-config", file)
	if code != 0 || !strings.Contains(stderr, "warning: "+want) || !strings.Contains(stderr, `did you mean "email_lead"?`) {
		t.Fatalf("validate: exit %d\n%s", code, stderr)
	}
	d := start(t, file)
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "reload", func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(d.log(), `"mapping":"maps/eaf.yaml","line":37,"rule":"eaf-email-lead"`); n != 2 {
		t.Fatalf("%d warnings logged, want one at start and one on reload:\n%s", n, d.log())
	}
}

// TestBrokenMappingIsInvalidInputEverywhere: every command that loads the
// mapping files lists their problems with file and line and exits 2, as
// validate does; map and replay used to exit 1 ("failed").
func TestBrokenMappingIsInvalidInputEverywhere(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	os.Mkdir(maps, 0o755)
	bad, _ := os.ReadFile("../../testdata/mapping/bad/bad_expr.yaml")
	os.WriteFile(filepath.Join(maps, "eaf.yaml"), bad, 0o644)
	good, _ := filepath.Abs("../../mappings/hubspot")
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), good, maps, 1)), 0o600)
	makeDB(t, dir)
	for _, args := range [][]string{
		{"validate", "-config", file},
		{"map", "-config", file, "-source", "eaf", "../../testdata/webhooks/eaf/email_lead.json"},
		{"replay", "-config", file, "-dry-run"},
		{"crm", "check", "-config", file},
	} {
		_, stderr, code := syncdRun(t, args...)
		if code != 2 || !strings.Contains(stderr, "mappings in "+maps+": ") || !strings.Contains(stderr, "\nmaps/eaf.yaml:") {
			t.Errorf("syncd %v: exit %d\n%s", args[0], code, stderr)
		}
	}
}

// TestServeSaysItCreatedADatabase: the daemon says when it starts on an
// empty data_dir and creates the database (a data_dir moved, or pointing
// elsewhere than before, shows so), and not when it opens the one there;
// validate names the database and says whether it is there yet.
func TestServeSaysItCreatedADatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	const note = `"message":"no database in data_dir: created an empty one`
	for i, want := range []bool{true, false} {
		out, _, code := syncdRun(t, "validate", "-config", config)
		line := "\ndatabase: " + filepath.Join(dir, "data", "syncd.db")
		if code != 0 || !strings.Contains(out, line+map[bool]string{true: " (not there yet: serve creates it)\n", false: "\n"}[want]) {
			t.Fatalf("validate before start %d: exit %d\n%s", i+1, code, out)
		}
		d := start(t, config)
		if err := d.stop(t, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(d.log(), note); got != want {
			t.Fatalf("start %d: said it created the database: %v, want %v\n%s", i+1, got, want, d.log())
		}
	}
}

// TestReportOutMustBeMeant: `syncd report -out` into a directory that does
// not exist (a typo) made the whole path, and any name got an Excel
// workbook (x.csv): both are refused with exit 2, creating nothing; a
// workbook in an existing directory is written.
func TestReportOutMustBeMeant(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	typo := filepath.Join(dir, "reprots", "day.xlsx")
	for out, want := range map[string]string{
		typo:                          "no directory " + filepath.Dir(typo),
		filepath.Join(dir, "day.csv"): "name the file .xlsx",
	} {
		stdout, stderr, code := syncdRun(t, "report", "-config", file, "-date", "2026-11-28", "-out", out)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("report -out %s: exit %d, %q%q; want 2 and %q", out, code, stdout, stderr, want)
		}
	}
	if _, err := os.Stat(filepath.Dir(typo)); !os.IsNotExist(err) {
		t.Errorf("the mistyped directory was made: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "day.csv")); !os.IsNotExist(err) {
		t.Errorf("a workbook named .csv was written: %v", err)
	}
	good := filepath.Join(dir, "day.xlsx")
	if stdout, stderr, code := syncdRun(t, "report", "-config", file, "-date", "2026-11-28", "-out", good); code != 0 || strings.TrimSpace(stdout) != good {
		t.Errorf("report -out %s: exit %d, %q%q", good, code, stdout, stderr)
	}
}

// TestReportOutRefusesAnExistingFile: `syncd report -out FILE` wrote over
// a file there already (a workbook of another day kept under that name, an
// edited copy) without a word, where `export -out` refuses one. It is
// refused, exit 2, the file left as it was, unless -replace says to write
// over it.
func TestReportOutRefusesAnExistingFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	kept := filepath.Join(dir, "day.xlsx")
	if err := os.WriteFile(kept, []byte("the manager's edited copy"), 0o640); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := syncdRun(t, "report", "-config", file, "-date", "2026-11-28", "-out", kept)
	if code != 2 || !strings.Contains(stderr, kept+" exists") || !strings.Contains(stderr, "-replace") {
		t.Errorf("report -out over an existing file: exit %d, %q%q; want 2, saying it exists and -replace", code, stdout, stderr)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != "the manager's edited copy" {
		t.Fatalf("the existing file was written over: %.40q (%v)", b, err)
	}
	if stdout, stderr, code := syncdRun(t, "report", "-config", file, "-date", "2026-11-28", "-replace"); code != 2 ||
		!strings.Contains(stderr, "-replace") {
		t.Errorf("report -replace without -out: exit %d, %q%q; want 2", code, stdout, stderr)
	}
	stdout, stderr, code = syncdRun(t, "report", "-config", file, "-date", "2026-11-28", "-out", kept, "-replace")
	if code != 0 || strings.TrimSpace(stdout) != kept {
		t.Fatalf("report -out -replace: exit %d, %q%q", code, stdout, stderr)
	}
	if f, err := excelize.OpenFile(kept); err != nil {
		t.Errorf("report -out -replace did not write a workbook: %v", err)
	} else {
		f.Close()
	}
}

// TestReportOfADayNotBegun: `syncd report -date` of a day to come (a
// mistyped year) made an empty workbook, exit 0, and recorded it; as the
// first report of an installation it made the scheduler skip every day
// before it (reports start at the first one made). It is refused.
func TestReportOfADayNotBegun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	stdout, stderr, code := syncdRun(t, "report", "-config", file, "-date", "2999-01-01")
	if code != 2 || !strings.Contains(stderr, "2999-01-01 has not begun") {
		t.Errorf("report -date 2999-01-01: exit %d, %q%q; want 2 and has not begun", code, stdout, stderr)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if first, err := db.FirstReport(context.Background()); first != "" || err != nil {
		t.Errorf("recorded a report of %q (%v)", first, err)
	}
}
