package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestValidateNamesTheDryRunLeads: after a trial on the dry run the
// operator sets crm.kind to HubSpot and runs syncd validate first, as the
// docs say. It said "ok" and nothing of the trial's leads, in no CRM; it
// names them once, with the replay that sends them, as status does. With
// -offline, and on the dry run's own configuration, it says nothing of
// them.
func TestValidateNamesTheDryRunLeads(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, addr := t.TempDir(), freeAddr(t)
	dry := dryRunConfig(t, dir, addr)
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	live := writeCRMConfigOnPort(t, dir, url, false)
	onlyDryRun(t, dry, 2, "01", "02")

	const said = "2 leads went only to the dry run"
	out, stderr, code := syncdRun(t, "validate", "-config", live, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Count(out+stderr, said) != 1 || !strings.Contains(stderr, "warning: "+said) ||
		!strings.Contains(stderr, "not in hubspot") || !strings.Contains(stderr, "syncd replay -since ") {
		t.Fatalf("validate after the trial: exit %d\n%s%s\nwant exit 0 and one warning %q with the replay", code, out, stderr, said)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", live, "-examples", "../../testdata/webhooks", "-offline")
	if code != 0 || strings.Contains(out+stderr, "only to the dry run") {
		t.Errorf("validate -offline: exit %d\n%s%s\nwant exit 0, nothing of the dry run's leads", code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", dry, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Contains(out+stderr, "only to the dry run") {
		t.Errorf("validate on the dry run: exit %d\n%s%s\nwant exit 0, nothing of the dry run's leads", code, out, stderr)
	}
}

// TestDryRunLeadsPurgedAreNamedApart: a trial's lead whose body the
// retention purged (retention.event_days shorter than outbox_days) can no
// longer be replayed, and status, the start log and validate said nothing
// of it: only the lead whose body is held was named, with the replay. They
// name the purged one apart, as no longer sendable.
func TestDryRunLeadsPurgedAreNamedApart(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, addr := t.TempDir(), freeAddr(t)
	dry := dryRunConfig(t, dir, addr)
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	live := writeCRMConfigOnPort(t, dir, url, true, "retention:\n  outbox_days: 1000\n")
	listenOn(t, live, addr)
	onlyDryRun(t, dry, 2, "01", "02")
	ageEvent(t, filepath.Join(dir, "data", "syncd.db"), "1")
	if out := syncdOK(t, "purge", "-config", live); !strings.HasPrefix(out, "purged: 1 event body") {
		t.Fatalf("purge: %s", out)
	}

	const held, purged = "1 lead went only to the dry run", "1 more lead went only to the dry run and can no longer be sent to hubspot: " +
		"the retention purged its body (retention.event_days; on "
	d := start(t, live)
	defer d.stop(t, syscall.SIGTERM)
	if !strings.Contains(d.log(), purged) {
		t.Errorf("the daemon's start does not say %q:\n%s", purged, d.log())
	}
	out, stderr, code := syncdRun(t, "status", "-config", live)
	if code != 0 || !strings.Contains(out, held) || strings.Count(out, purged) != 1 {
		t.Fatalf("status: exit %d\n%s%s\nwant exit 0, %q and %q", code, out, stderr, held, purged)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", live, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Count(stderr, "warning: "+purged) != 1 {
		t.Errorf("validate: exit %d\n%s%s\nwant exit 0 and the warning %q", code, out, stderr, purged)
	}
}

// TestValidateNamesTheDryRunLeadsOnPostgres: as above, on PostgreSQL,
// where validate reads them over a connection that migrates nothing.
func TestValidateNamesTheDryRunLeadsOnPostgres(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir, addr, dsn := t.TempDir(), freeAddr(t), pgtest.DSN(t)
	store := pgStore(t, dir, dsn)
	dry := filepath.Join(dir, "dryrun.yaml")
	yaml := configYAML(dir, []string{e2eLBToken}, "sync:\n  schedule: \"@every 1s\"\n  prompt_delay: 100ms\n"+store)
	if err := os.WriteFile(dry, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	listenOn(t, dry, addr)
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	live := writeCRMConfigOnPort(t, dir, url, false, store)
	onlyDryRun(t, dry, 1, "01")

	const said = "warning: 1 lead went only to the dry run (received since "
	out, stderr, code := syncdRun(t, "validate", "-config", live, "-examples", "../../testdata/webhooks")
	if code != 0 || strings.Count(stderr, said) != 1 || !strings.Contains(stderr, "syncd replay -since ") {
		t.Fatalf("validate on PostgreSQL after the trial: exit %d\n%s%s\nwant exit 0 and %q", code, out, stderr, said)
	}
	out, stderr, code = syncdRun(t, "validate", "-config", live, "-examples", "../../testdata/webhooks", "-offline")
	if code != 0 || strings.Contains(out+stderr, "only to the dry run") {
		t.Errorf("validate -offline on PostgreSQL: exit %d\n%s%s\nwant exit 0, nothing of the dry run's leads", code, out, stderr)
	}
}
