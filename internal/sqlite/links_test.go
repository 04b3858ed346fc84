package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLinksForSeeksEachKey: a batch's links are read in one statement that
// seeks each key of the list in crm_links' primary key, never reading the
// table whole (it holds every link the retention keeps).
func TestLinksForSeeksEachKey(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := queryPlan(t, db, linksForSQL, "hubspot", "contact", `["a@example.com","b@example.com"]`)
	sought := false
	for _, detail := range plan {
		if strings.HasPrefix(detail, "SCAN crm_links") {
			t.Errorf("plan step %q reads crm_links whole", detail)
		}
		sought = sought || strings.HasPrefix(detail, "SEARCH crm_links USING PRIMARY KEY (target=? AND kind=? AND key=?)")
	}
	if !sought {
		t.Error("the keys are not sought in crm_links' primary key")
	}
	if t.Failed() {
		t.Logf("plan:\n%s", strings.Join(plan, "\n"))
	}
}

// TestLinksForReadsAKeyOfInvalidUTF8: a key that is not valid UTF-8 cannot
// travel in the JSON list (it would arrive as another key, its bad bytes
// made U+FFFD): its link is still found, beside the others'.
func TestLinksForReadsAKeyOfInvalidUTF8(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad, twin := "lead-\xff", "lead-\uFFFD"
	for key, id := range map[string]string{bad: "1", "lead-2": "2"} {
		if err := db.SetLink(ctx, "pipedrive", syncd.RecordDeal, key, id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.LinksFor(ctx, "pipedrive", syncd.RecordDeal, []string{"lead-2", bad, twin})
	if err != nil || len(got) != 2 || got[bad] != "1" || got["lead-2"] != "2" {
		t.Fatalf("links = %q, %v; want %q: 1 and lead-2: 2", got, err, bad)
	}
}
