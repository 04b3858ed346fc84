package main_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestExportOfAnErasedLeadNamesOnlyTheBackupsTakenBeforeItWent: syncd
// export -event of a lead erased by erase -event named, as holding it,
// every backup syncd backup took since the lead was received, one taken
// after the erase too, which holds nothing of it: the operator was sent
// to delete or restrict a backup that holds nothing of the person. A lead
// whose body is gone (erased, purged, dismissed) is held by the backups
// taken between its receipt and then; what is still held (its CRM
// operations), by those taken since.
func TestExportOfAnErasedLeadNamesOnlyTheBackupsTakenBeforeItWent(t *testing.T) {
	t.Parallel()
	dir, config := storedAngela(t)
	before, after := filepath.Join(dir, "before.db"), filepath.Join(dir, "after.db")
	syncdOK(t, "backup", "-config", config, "-out", before)
	syncdOK(t, "erase", "-config", config, "-event", "1", "-despite-contact")
	syncdOK(t, "backup", "-config", config, "-out", after)

	var out struct {
		Backups []struct{ Path string } `json:"backups"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-event", "1")), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Backups) != 1 || out.Backups[0].Path != before {
		t.Errorf("export -event of the erased lead names the backups %+v; want %s alone, taken before the erase", out.Backups, before)
	}
}
