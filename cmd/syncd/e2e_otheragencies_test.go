package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestValidateSaysWhatAnAgencysFileSharesWithAnother: an integrator adds an
// agency by copying another's /etc/syncd/NAME.yaml and editing it. Each
// setting left as the copied file had it passed syncd validate, which the
// guide runs before the start: the port and the database were refused
// only as the second daemon started, and the CRM account pin, a source's
// token and the report recipients never: the new agency's leads went into
// the other's CRM account (its token copied too), a sender's to either
// syncd, its report to the other's people. validate now warns of each,
// naming the other agency's file; an agency's own settings are no warning.
func TestValidateSaysWhatAnAgencysFileSharesWithAnother(t *testing.T) {
	t.Parallel()
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	_, crmURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	agency := func(name, listen, metrics, hubID, eafToken, to string) string {
		yaml := strings.NewReplacer("listen: 127.0.0.1:0", "listen: "+listen,
			"tokens: ["+e2eEAFToken+"]", "tokens: ["+eafToken+"]").Replace(configYAML(filepath.Join(etc, "..", name), []string{e2eLBToken + "-" + name}, `crm:
  kind: hubspot
  hubspot:
    base_url: `+crmURL+`
    token: fake-private-app-token
    hub_id: "`+hubID+`"
report:
  mail:
    host: smtp.example.com
    from: reports@example.com
    to: [`+to+`]
metrics:
  listen: `+metrics+`
`))
		file := filepath.Join(etc, name+".yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	listen, metrics := freeAddr(t), freeAddr(t)
	nordbolig := agency("nordbolig", listen, metrics, "701", "nordbolig-eaf-token-0123", "sales@nordbolig.dk, boss@nordbolig.dk")
	sydbolig := agency("sydbolig", freeAddr(t), freeAddr(t), "702", "sydbolig-eaf-token-01234", "sales@sydbolig.dk, integrator@example.com")
	_, stderr, code := syncdRun(t, "validate", "-offline", "-config", sydbolig)
	if code != 0 || strings.Contains(stderr, "is also") {
		t.Errorf("validate of an agency's own file: exit %d, want 0 and no warning of another's\n%s", code, stderr)
	}
	// As syncd.service's file is validated (and served), SYNCD_DATA_DIR
	// set as its unit sets it: the agencies' files beside it are not read
	// with it, which their units do not set.
	own := "SYNCD_DATA_DIR=" + filepath.Join(etc, "..", "sydbolig", "data")
	if _, stderr, code := syncdRunEnv(t, own, "validate", "-offline", "-config", sydbolig); code != 0 || strings.Contains(stderr, "is also") {
		t.Errorf("validate with SYNCD_DATA_DIR its own data_dir: exit %d, want 0 and no warning of another's\n%s", code, stderr)
	}

	// vestbolig.yaml: nordbolig.yaml copied, its name alone changed.
	raw, _ := os.ReadFile(nordbolig)
	vestbolig := filepath.Join(etc, "vestbolig.yaml")
	if err := os.WriteFile(vestbolig, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = syncdRun(t, "validate", "-offline", "-config", vestbolig)
	if code != 0 {
		t.Errorf("validate of a copy: exit %d, want 0 (warnings)\n%s", code, stderr)
	}
	db := filepath.Join(etc, "..", "nordbolig", "data", "syncd.db")
	db = filepath.Join(filepath.Dir(db), filepath.Base(db))
	for _, want := range []string{
		"warning: the address " + listen + " is also " + nordbolig + "'s: the daemon started second cannot listen",
		"warning: the address " + metrics + " is also " + nordbolig + "'s",
		"warning: the database " + db + " (data_dir) is also " + nordbolig + "'s",
		"warning: crm.hubspot.hub_id 701 is also " + nordbolig + "'s: the two agencies' leads go into one hubspot account",
		"warning: sources.eaf.tokens entry 1 (in its sources.eaf.tokens) is also " + nordbolig + "'s",
		"warning: report.mail.to (every recipient) is also " + nordbolig + "'s: each agency's daily report",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate of agency nordbolig's file copied said:\n%s\nwant %q", stderr, want)
		}
	}
	if strings.Contains(stderr, sydbolig) {
		t.Errorf("validate of nordbolig's copy names sydbolig's file, which shares nothing with it:\n%s", stderr)
	}
	// Started without validate, the daemon logs the same at start.
	d := start(t, vestbolig)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the copy's daemon's log", d.log(), `"level":"warn","config":"`+vestbolig+`"`,
		"crm.hubspot.hub_id 701 is also "+nordbolig+"'s: the two agencies' leads go into one hubspot account")
}

// TestAPortTakenByAnotherAgencyNamesItsFile: a daemon whose listen (or
// metrics.listen) was left as the agency's file it was copied from had
// is refused, as the address is in use; it said only that another process
// listens there (ss -ltnp names it). It now names the file beside its own
// whose address that is.
func TestAPortTakenByAnotherAgencyNamesItsFile(t *testing.T) {
	t.Parallel()
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	listen, metrics := freeAddr(t), freeAddr(t)
	write := func(name, listen, metrics string) string {
		yaml := strings.Replace(configYAML(filepath.Join(etc, "..", name), []string{e2eLBToken}, "metrics:\n  listen: "+metrics+"\n"),
			"listen: 127.0.0.1:0", "listen: "+listen, 1)
		file := filepath.Join(etc, name+".yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	nordbolig := write("nordbolig", listen, metrics)
	start(t, nordbolig)
	out := serveRefused(t, write("sydbolig", listen, freeAddr(t)))
	mustContain(t, "a daemon on agency nordbolig's port", out,
		"another process listens on "+listen+" (ss -ltnp names it; it is "+nordbolig+"'s listen: that agency's daemon, most likely)")
	out = serveRefused(t, write("vestbolig", freeAddr(t), metrics))
	mustContain(t, "a daemon on agency nordbolig's metrics port", out, "it is "+nordbolig+"'s metrics.listen")
}
