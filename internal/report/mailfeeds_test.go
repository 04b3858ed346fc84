package report_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailsHTMLSaysTheFeedImports: the mail's text said the day's feed
// imports ("Feed imports: 1 (2 records changed)"), its HTML part, which
// mail programs show rather than the text, nothing of them: a manager
// reading it could not tell the agency's feed ran. Both parts say it
// alike now.
func TestMailsHTMLSaysTheFeedImports(t *testing.T) {
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	srv := mailtest.Start(t, "syncd", "pw")
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	if _, err := report.Make(ctx, report.Day{Year: 2026, Month: 3, Day: 29}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return made }}); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	const want = "Feed imports: 1 (2 records changed)"
	if text := textLines(p); !slices.Contains(text, want) {
		t.Errorf("the text part lacks %q:\n%s", want, p.Text)
	}
	if lines := htmlLines(t, p); !slices.Contains(lines, want+".") {
		t.Errorf("the HTML part, as a mail program shows it, lacks %q:\n%q", want+".", lines)
	}
}
