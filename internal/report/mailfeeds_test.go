package report_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// mail0329 makes and mails, through a real SMTP server, the report of 29
// March 2026 (fill0329: leads of Lokalebasen and Estate Agent Feeds,
// portal submissions, a feed import), and returns the mail received.
func mail0329(t *testing.T) *mailtest.Parsed {
	t.Helper()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	srv := mailtest.Start(t, "syncd", "pw")
	made := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	if _, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29}, report.Options{Store: db,
		Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return made }}); err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	return p
}

// TestMailsHTMLSaysTheFeedImports: the mail's text said the day's feed
// imports ("Feed imports: 1 (2 records changed)"), its HTML part, which
// mail programs show rather than the text, nothing of them: a manager
// reading it could not tell the agency's feed ran. Both parts say it
// alike now.
func TestMailsHTMLSaysTheFeedImports(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := mail0329(t)
	const want = "Feed imports: 1 (2 records changed)"
	if text := textLines(p); !slices.Contains(text, want) {
		t.Errorf("the text part lacks %q:\n%s", want, p.Text)
	}
	if lines := htmlLines(t, p); !slices.Contains(lines, want+".") {
		t.Errorf("the HTML part, as a mail program shows it, lacks %q:\n%q", want+".", lines)
	}
}

// TestMailSaysWhatLokalebasensEnquiriesAre: the Summary's table names
// Lokalebasen's two kinds of enquiry with what they are, "Direct (the
// client asked)" and "Extra (Lokalebasen suggested)"; the mail said
// "Lokalebasen: 1 direct, 1 extra", which a manager not versed in
// Lokalebasen's terms could not read (extra what?). It says them as the
// Summary does, in its text and HTML.
func TestMailSaysWhatLokalebasensEnquiriesAre(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := mail0329(t)
	const want = "Lokalebasen: 1 direct (the client asked), 1 extra (Lokalebasen suggested)"
	if text := textLines(p); !slices.Contains(text, want) {
		t.Errorf("the text part lacks %q:\n%s", want, p.Text)
	}
	if lines := htmlLines(t, p); !slices.Contains(lines, want+".") {
		t.Errorf("the HTML part, as a mail program shows it, lacks %q:\n%q", want+".", lines)
	}
}
