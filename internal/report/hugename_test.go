package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestSummaryCutsAHugeNameQuickly: a feed import whose agent's name was
// 420,000 characters (a body within the 1 MiB syncd takes), and a portal
// named in as many, kept the day's report from being made for hours:
// cutting a name to its Summary column measured every start of it, one
// character shorter each time. The Summary cuts them in one pass; the
// report is made in well under the minute this test waits.
func TestSummaryCutsAHugeNameQuickly(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 10, 0, 0, 0, loc)
	huge := strings.Repeat("Ærø Ejendomme ", 30000)
	feed := with(t, []byte(`{}`), "eaf_type", "feed_import", "eaf_agent_name", huge, "eaf_format", huge,
		"eaf_records_modified", 3, "eaf_source", "https://feeds.example/agent.blm")
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", body: feed, at: at, mapState: "ignored"})
	failed := with(t, []byte(`{}`), "eaf_type", "portal_submission", "eaf_status", "error", "eaf_action", "update",
		"eaf_target", huge, "eaf_id", "S1", "eaf_reference", "R1",
		"eaf_errors", []any{map[string]any{"eaf_code": "ERR_MISSING_PRICE", "eaf_message": "no price"}})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: failed, at: at.Add(time.Minute), mapState: "ignored"})
	type made struct {
		path string
		err  error
	}
	done := make(chan made, 1)
	go func() {
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
		done <- made{path, err}
	}()
	var m made
	select {
	case m = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the report with a name of 420,000 characters is not made after a minute")
	}
	if m.err != nil {
		t.Fatal(m.err)
	}
	var agent, title string
	for _, row := range rows(t, openBook(t, m.path), report.SheetSummary) {
		if len(row) > 8 && strings.HasPrefix(row[8], "Ærø ") {
			agent = row[8]
		}
		if len(row) > 1 && row[0] == "Listings by error code" {
			title = row[1]
		}
	}
	if !strings.HasPrefix(agent, "Ærø Ejendomme") || !strings.HasSuffix(agent, "…") || len([]rune(agent)) > 30 {
		t.Errorf("the Summary lists the feed's agent as %q, want the start of the name cut with …", agent)
	}
	if !strings.HasPrefix(title, "Ærø") || !strings.HasSuffix(title, "…") || len([]rune(title)) > 20 {
		t.Errorf("the Listings by error code table titles the portal %q, want the start of the name cut with …", title)
	}
}

// TestMailCutsAHugeName: a portal named in 280,000 characters was written
// whole in the mail's text and HTML each time the mail named it (the
// subject alone cut it), hundreds of kilobytes of one name. The mail
// gives its first 99 characters and "…".
func TestMailCutsAHugeName(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	name := []rune(strings.Repeat("Ærø Ejendomme ", 20000))
	m := mailPortals(t, srv, string(name), "rightmove")
	for part, s := range map[string]string{"text": m.Text, "HTML": m.HTML} {
		if strings.Contains(s, string(name[:101])) {
			t.Errorf("the mail's %s gives more than 100 characters of the portal's name (%d bytes)", part, len(s))
		}
		if !strings.Contains(s, string(name[:99])+"…") {
			t.Errorf("the mail's %s does not give the start of the portal's name cut with …: %.400q", part, s)
		}
	}
}
