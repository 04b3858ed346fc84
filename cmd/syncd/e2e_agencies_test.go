package main_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// An integrator runs one syncd per estate agency on one server: a
// configuration, a data directory, a CRM account and a listener each
// (systemd/syncd@.service). These tests run two such daemons side by side.

// agency is one agency's daemon set-up: its HubSpot stand-in, directory,
// configuration file and database.
type agency struct {
	fake   *crmfake.Server
	dir    string
	config string
	db     string
}

// newAgency writes an agency's configuration: its own stand-in CRM, data
// under its own directory, a listener and a metrics listener of its own;
// extra is appended to the YAML.
func newAgency(t *testing.T, extra string) *agency {
	t.Helper()
	a := &agency{dir: t.TempDir()}
	var url string
	a.fake, url = startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	yaml := strings.Replace(crmConfig(a.dir, url, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	yaml += "metrics:\n  listen: " + freeAddr(t) + "\n" + extra
	a.config = filepath.Join(a.dir, "syncd.yaml")
	if err := os.WriteFile(a.config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	a.db = filepath.Join(a.dir, "data", "syncd.db")
	return a
}

// serveRefused runs `syncd serve -config config`, which must exit 2 (a
// person must act: the units do not restart it) without serving, and
// returns what it printed.
func serveRefused(t *testing.T, config string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := syncdCmdContext(ctx, "serve", "-config", config).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || strings.Contains(string(out), `"serving"`) {
		t.Fatalf("serve -config %s: %v (want exit 2 and no serving line)\n%s", config, err, out)
	}
	return string(out)
}

// statusDatabase is the database `syncd status -config config` says its
// running daemon serves; the test fails unless status read it from a
// running daemon (exit 5, something needs attention, is fine: the
// stand-in lacks the properties the account check asks for).
func statusDatabase(t *testing.T, config string) string {
	t.Helper()
	out, errOut, code := syncdRun(t, "status", "-config", config)
	if code != 0 && code != 5 {
		t.Fatalf("status -config %s: exit %d\n%s%s", config, code, out, errOut)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "daemon"); ok && strings.Contains(rest, "running since") {
			_, db, _ := strings.Cut(rest, "database ")
			return strings.TrimSpace(db)
		}
	}
	t.Fatalf("status -config %s names no running daemon:\n%s", config, out)
	return ""
}

// TestTwoAgenciesSideBySide: each agency's lead reaches only its own CRM,
// `syncd status` names each configuration's own daemon, export and erase
// see only their own database, and a third daemon started by mistake on
// the first agency's data_dir is refused, naming the daemon that serves it.
func TestTwoAgenciesSideBySide(t *testing.T) {
	t.Parallel()
	a, b := newAgency(t, ""), newAgency(t, "")
	da, db := start(t, a.config), start(t, b.config)
	postTestdata(t, da, "eaf/email_lead.json")
	postTestdata(t, db, "lokalebasen/enquiry_created.json")
	waitForRecords(t, a.fake, da, 1, 1, "agency A's lead")
	waitForRecords(t, b.fake, db, 1, 1, "agency B's lead")
	const eafEmail, lbEmail = "support@estateagentfeeds.com", "angela7913@hotmail.com"
	if got := a.fake.State().ContactsByEmail; len(got[eafEmail]) != 1 || len(got[lbEmail]) != 0 {
		t.Errorf("agency A's CRM holds %v, want only A's lead %s", got, eafEmail)
	}
	if got := b.fake.State().ContactsByEmail; len(got[lbEmail]) != 1 || len(got[eafEmail]) != 0 {
		t.Errorf("agency B's CRM holds %v, want only B's lead %s", got, lbEmail)
	}

	for _, ag := range []*agency{a, b} {
		if got := statusDatabase(t, ag.config); got != ag.db {
			t.Errorf("status -config %s: daemon serving %s, want %s", ag.config, got, ag.db)
		}
	}
	if out := syncdOK(t, "export", "-config", b.config, "-email", eafEmail); !strings.Contains(out, `"events": []`) {
		t.Errorf("export from agency B found agency A's lead:\n%s", out)
	}
	if out := syncdOK(t, "erase", "-config", b.config, "-email", eafEmail); !strings.Contains(out, "erased: 0 events") {
		t.Errorf("erase in agency B erased something of agency A's lead:\n%s", out)
	}
	if out := syncdOK(t, "export", "-config", a.config, "-email", eafEmail); strings.Contains(out, `"events": []`) {
		t.Errorf("agency A's lead is gone after an erase in agency B:\n%s", out)
	}

	// Agency C's file copied from A's, its data_dir left unchanged.
	c := newAgency(t, "")
	yaml, _ := os.ReadFile(c.config)
	wrong := strings.Replace(string(yaml), filepath.Join(c.dir, "data"), filepath.Join(a.dir, "data"), 1)
	os.WriteFile(c.config, []byte(wrong), 0o600)
	out := serveRefused(t, c.config)
	if want := "another syncd daemon (pid " + strconv.Itoa(da.cmd.Process.Pid) + ") is serving " + a.db; !strings.Contains(out, want) {
		t.Errorf("a daemon on agency A's data_dir said:\n%s\nwant %q", out, want)
	}
}

// unitLines are the settings of a unit file, comments and blank lines left out.
func unitLines(t *testing.T, name string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../systemd", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestAgencyTemplateIsTheServicePerInstance: syncd@.service is
// syncd.service with the configuration, state directory and credentials
// of its instance, every other setting (the hardening) the same, and no
// SYNCD_DATA_DIR that the commands run from a shell would not see; the
// package ships both templates.
func TestAgencyTemplateIsTheServicePerInstance(t *testing.T) {
	t.Parallel()
	perInstance := map[string]string{
		"Description=syncd property-portal webhook to CRM sync daemon":                 "Description=syncd property-portal webhook to CRM sync daemon (%i)",
		"ExecStart=/usr/bin/syncd serve -config /etc/syncd/syncd.yaml":                 "ExecStart=/usr/bin/syncd serve -config /etc/syncd/%i.yaml",
		"ExecReload=/usr/bin/syncd reload -config /etc/syncd/syncd.yaml -pid $MAINPID": "ExecReload=/usr/bin/syncd reload -config /etc/syncd/%i.yaml -pid $MAINPID",
		"StateDirectory=syncd":                      "StateDirectory=syncd/%i",
		"Environment=SYNCD_DATA_DIR=/var/lib/syncd": "",
	}
	for _, c := range []string{"hubspot-token", "pipedrive-token", "smtp-password"} {
		perInstance["LoadCredential="+c+":/etc/syncd/credentials/"+c] = "LoadCredential=" + c + ":/etc/syncd/credentials/%i/" + c
	}
	var want []string
	for _, l := range unitLines(t, "syncd.service") {
		if inst, ok := perInstance[l]; !ok {
			want = append(want, l)
		} else if inst != "" {
			want = append(want, inst)
		}
	}
	if got := unitLines(t, "syncd@.service"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("syncd@.service:\n%s\n\nwant syncd.service per instance:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	nfpm, err := os.ReadFile("../../packaging/nfpm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"syncd@.service", "syncd@.socket"} {
		if !strings.Contains(string(nfpm), "src: ./systemd/"+u+"\n    dst: /usr/lib/systemd/system/"+u+"\n") {
			t.Errorf("packaging/nfpm.yaml does not install %s", u)
		}
	}
}

// TestUnitFilesPassCheck runs systemd/check.sh (systemd-analyze verify
// and the security exposure threshold, the templates as an instance) where
// systemd-analyze is installed.
func TestUnitFilesPassCheck(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze not installed")
	}
	if out, err := exec.Command("sh", "../../systemd/check.sh").CombinedOutput(); err != nil {
		t.Fatalf("systemd/check.sh: %v\n%s", err, out)
	}
}

// TestAgenciesSharingAReportsDirRefused: a second agency's daemon whose
// report.dir is the first's (a line copied between their files) is refused,
// naming the daemon that writes there and report.dir, instead of writing
// its leads-DAY.xlsx over the other agency's and purging the other's old
// ones. Once the first daemon stops, the second starts.
func TestAgenciesSharingAReportsDirRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	shared := filepath.Join(t.TempDir(), "reports")
	a := newAgency(t, "report:\n  dir: "+shared+"\n")
	b := newAgency(t, "report:\n  dir: "+shared+"\n")
	da := start(t, a.config)
	out := serveRefused(t, b.config)
	for _, want := range []string{
		"another syncd daemon (pid " + strconv.Itoa(da.cmd.Process.Pid) + ", database " + a.db + ", configuration " + a.config + ") writes its reports to " + shared,
		"give each daemon its own report.dir",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("agency B's daemon on agency A's reports directory said:\n%s\nwant %q", out, want)
		}
	}
	if err := da.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("agency A's daemon stopped: %v", err)
	}
	start(t, b.config).stop(t, syscall.SIGTERM)
}

// TestReportByHandIntoAnotherAgencysDirRefused: `syncd report` and
// `syncd erase` by hand with agency B's configuration, whose report.dir
// was copied from agency A's, wrote B's workbook of the day over A's (the
// daemon refuses that directory, the commands did not); with A's own
// configuration they go on.
func TestReportByHandIntoAnotherAgencysDirRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	shared := filepath.Join(t.TempDir(), "reports")
	a := newAgency(t, "report:\n  dir: "+shared+"\n")
	b := newAgency(t, "report:\n  dir: "+shared+"\n")
	db := start(t, ownReportsConfig(t, b, shared)) // B ran with a reports dir of its own: one lead
	postTestdata(t, db, "eaf/email_lead.json")
	db.stop(t, syscall.SIGTERM)
	da := start(t, a.config)
	today := leadsDay(t, b.config)
	taken := "another syncd daemon (pid " + strconv.Itoa(da.cmd.Process.Pid) + ", database " + a.db + ", configuration " + a.config + ") writes its reports to " + shared
	if _, stderr, code := syncdRun(t, "report", "-date", today, "-config", b.config); code != 1 || !strings.Contains(stderr, taken) {
		t.Fatalf("report by hand into another agency's reports directory: exit %d\n%s", code, stderr)
	}
	if entries, _ := filepath.Glob(filepath.Join(shared, "leads-*.xlsx")); len(entries) != 0 {
		t.Fatalf("B's workbook written among A's: %v", entries)
	}
	if out, stderr, code := syncdRun(t, "report", "-date", today, "-config", a.config); code != 0 {
		t.Fatalf("report by hand beside its own daemon: exit %d\n%s%s", code, out, stderr)
	}
	kept := filepath.Join(shared, "leads-"+today+".xlsx")
	before, err := os.Stat(kept)
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "erase", "-email", "support@estateagentfeeds.com", "-config", b.config)
	if code != 1 || !strings.Contains(out, "erased: 1 event") || !strings.Contains(stderr, taken) {
		t.Fatalf("erase of B's lead beside A's daemon: exit %d\n%s%s", code, out, stderr)
	}
	if after, err := os.Stat(kept); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Fatalf("agency A's workbook rewritten by B's erase: %v", err)
	}
}

// ownReportsConfig writes a copy of agency g's configuration whose
// report.dir is its own instead of shared, and returns its path.
func ownReportsConfig(t *testing.T, g *agency, shared string) string {
	t.Helper()
	b, err := os.ReadFile(g.config)
	if err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(g.dir, "own.yaml")
	y := strings.Replace(string(b), "dir: "+shared, "dir: "+filepath.Join(g.dir, "own-reports"), 1)
	if err := os.WriteFile(own, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	return own
}

// TestAConfigurationThatDoesNotLoadIsNotRestarted: serve exits 2 on a
// configuration that does not load, which no restart mends; the units
// restarted it every 2 s (Restart=on-failure) until systemd's start limit,
// the journal holding the same list of problems each time. They name 2
// in RestartPreventExitStatus, and serve exits 2 on such a file.
func TestAConfigurationThatDoesNotLoadIsNotRestarted(t *testing.T) {
	t.Parallel()
	for _, unit := range []string{"syncd.service", "syncd@.service"} {
		if !slices.Contains(unitLines(t, unit), "RestartPreventExitStatus=2") {
			t.Errorf("%s restarts a daemon that exited 2 (a configuration that does not load)", unit)
		}
	}
	bad := filepath.Join(t.TempDir(), "syncd.yaml")
	if err := os.WriteFile(bad, []byte("listen: 127.0.0.1:0\nsources: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := syncdRun(t, "serve", "-config", bad); code != 2 {
		t.Errorf("serve on a configuration that does not load: exit %d, want 2, which the units do not restart\n%s", code, stderr)
	}
}
