package main_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestExportSaysWhatItCannotInclude: export printed what syncd holds and
// stopped there, so a data-protection officer handing it over as the
// person's copy (Art. 15) could take it for everything: it said nothing
// of the CRM's records (with what salespeople added there), the mailed
// workbooks, backups syncd did not make or the debug logs. It now lists
// them under not_included, and says so on stderr; the dry run sends to no
// CRM, so then no CRM is named.
func TestExportSaysWhatItCannotInclude(t *testing.T) {
	t.Parallel()
	export := func(config string) ([]string, string) {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-email", e2eJane.email)
		var ex struct {
			NotIncluded []string `json:"not_included"`
		}
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
			t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
		}
		return ex.NotIncluded, stderr
	}
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, "http://127.0.0.1:9/")
	storeOldLeads(t, dir, e2eJane, time.Now())
	list, stderr := export(config)
	all := strings.Join(list, "\n")
	for _, want := range []string{"hubspot holds", "syncd report -out", "syncd backup did not make", "debug"} {
		if !strings.Contains(all, want) {
			t.Errorf("not_included does not say %q:\n%s", want, all)
		}
	}
	if !strings.Contains(stderr, "syncd export: not included") {
		t.Errorf("stderr does not say what is not included:\n%s", stderr)
	}

	dry := t.TempDir()
	config = writeConfig(t, dry)
	storeOldLeads(t, dry, e2eJane, time.Now())
	if list, _ := export(config); strings.Contains(strings.Join(list, "\n"), "dryrun") || len(list) == 0 {
		t.Errorf("on the dry run, not_included: %q", list)
	}
}
