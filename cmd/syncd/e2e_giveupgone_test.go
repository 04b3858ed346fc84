package main_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGiveUpOfAnEarlierAccountsErasureForACRMNoLongerConfigured: the CRM
// erasure crm forget-links made dead, then crm.kind changed (here to
// dryrun). outbox give-up of it answered exit 3, "no such operation",
// telling the operator to run the very outbox give-up just refused: a
// loop. Now it says that give-up is for the configured CRM's, and the way
// out, outbox drop -erasures, exit 2 (as for any operation of a CRM no
// longer configured); and that way out ends it.
func TestGiveUpOfAnEarlierAccountsErasureForACRMNoLongerConfigured(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	id := deadErasure(t, config)
	config = writeConfig(t, filepath.Dir(config)) // the same data_dir, crm.kind dryrun
	out, errOut, code := syncdRun(t, "outbox", "give-up", "-config", config, id)
	t.Logf("syncd outbox give-up %s, exit %d:\n%s%s", id, code, out, errOut)
	if code != 2 || !strings.Contains(errOut, "syncd outbox drop -crm hubspot -erasures") ||
		strings.Contains(errOut, "then syncd outbox give-up") {
		t.Errorf("outbox give-up of the erasure for a CRM no longer configured: exit %d; want 2 and the way out, "+
			"outbox drop -erasures, not give-up again", code)
	}
	out, errOut, code = syncdRun(t, "outbox", "drop", "-config", config, "-crm", "hubspot", "-erasures")
	if code != 0 || !strings.Contains(out, "1 erasure)") {
		t.Fatalf("outbox drop -erasures: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, code := syncdRun(t, "outbox", "show", "-config", config, id); code != 3 {
		t.Errorf("outbox show %s after the drop: exit %d; want 3, dropped", id, code)
	}
}

// TestDropSaysNoSyncSendsAnEarlierAccountsErasure: outbox drop (without
// -erasures) of a CRM no longer configured leaves its erase operations,
// and said of the CRM erasure crm forget-links made dead "set crm.kind
// back to hubspot and run syncd sync": no sync sends that one, in any
// account. Now it says so, and that it is dropped with -erasures once the
// person is erased there by hand.
func TestDropSaysNoSyncSendsAnEarlierAccountsErasure(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	config = writeConfig(t, filepath.Dir(config)) // crm.kind dryrun
	for _, args := range [][]string{{"-dry-run"}, {}} {
		out, errOut, code := syncdRun(t, append([]string{"outbox", "drop", "-config", config, "-crm", "hubspot"}, args...)...)
		t.Logf("syncd outbox drop -crm hubspot %v, exit %d:\n%s%s", args, code, out, errOut)
		if code != 0 || strings.Contains(out, "run syncd sync") || !strings.Contains(out, "no sync sends") ||
			!strings.Contains(out, "drop them with -erasures") {
			t.Errorf("outbox drop %v: exit %d; want the earlier account's erasure left, said never sent, and the way out", args, code)
		}
	}
}

// TestOutboxWithOnlyFlagsSaysNoSubcommand: syncd outbox -config FILE (the
// subcommand forgotten) answered 'unknown subcommand "-config"', a flag
// taken for a misspelt subcommand. Now it says no subcommand was given.
func TestOutboxWithOnlyFlagsSaysNoSubcommand(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	for _, cmd := range []string{"outbox", "events"} {
		out, errOut, code := syncdRun(t, cmd, "-config", config)
		if code != 2 || strings.Contains(errOut, `unknown subcommand "-config"`) || !strings.Contains(errOut, "no subcommand given") ||
			!strings.Contains(errOut, "usage: syncd "+cmd) {
			t.Errorf("syncd %s -config FILE: exit %d; want 2, no subcommand given, and the usage\n%s%s", cmd, code, out, errOut)
		}
	}
}

// TestStatusAdvisesDropForAnEarlierAccountsErasureOfACRMGone: the CRM
// erasure crm forget-links made dead, crm.kind since changed: status's
// dead letters line told to erase the person by hand "then syncd outbox
// give-up ID", which refuses an operation of a CRM no longer configured
// (exit 2). Now it names outbox drop -erasures, which takes it.
func TestStatusAdvisesDropForAnEarlierAccountsErasureOfACRMGone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	config = writeConfig(t, filepath.Dir(config)) // crm.kind dryrun
	out, _, code := syncdRun(t, "status", "-config", config)
	t.Logf("syncd status, exit %d:\n%s", code, out)
	var dead string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "dead letters") {
			dead = line
		}
	}
	if code != 5 || !strings.Contains(dead, "syncd outbox drop -crm hubspot -erasures") || strings.Contains(dead, "then syncd outbox give-up ID") {
		t.Errorf("status: exit %d, dead letters line %q; want 5, and outbox drop -erasures as the way out, not give-up", code, dead)
	}
}

// TestNotSentHintNamesErasures: status's NOT SENT hint, for operations
// waiting for a CRM crm.kind no longer names, said "without -remap it
// drops them", but outbox drop leaves erase operations unless -erasures:
// for a backlog of an erasure alone it dropped nothing. The hint says so.
func TestNotSentHintNamesErasures(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := erasureOfAnEarlierAccount(t)
	config = writeConfig(t, filepath.Dir(config)) // crm.kind dryrun
	out, _, _ := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "NOT SENT") || !strings.Contains(out, "erase operations only with -erasures") {
		t.Errorf("status's NOT SENT hint does not say erase operations go only with -erasures:\n%s", out)
	}
}
