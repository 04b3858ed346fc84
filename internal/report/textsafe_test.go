package report_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReportMailShowsNoBidiOverride: a portal named "\u202elaicifo" (a
// right-to-left override, then the name backwards) showed in the mail's
// subject, text and HTML as "official", and the rest of the subject's
// and the text line's words after it backwards too. The override and the
// other invisible characters are left out; the name shows as it is.
func TestReportMailShowsNoBidiOverride(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	m := mailWith(t, srv, `\u202elaicifo\u2066 \u200bx\ufeff`)
	for part, s := range map[string]string{"subject": m.Subject, "text": m.Text, "HTML": m.HTML} {
		if i := strings.IndexFunc(s, syncd.Hidden); i >= 0 {
			t.Errorf("the mail's %s holds %q: %q", part, []rune(s[i:])[0], s)
		}
		if !strings.Contains(s, "Laicifo x") {
			t.Errorf("the mail's %s does not name the portal as it is (Laicifo x): %q", part, s)
		}
	}
}

// TestReportMailSubjectStaysALine: a portal's name of 300 characters was
// the whole of the subject a mail client shows (the day, at its end, out
// of sight), and twelve failing portals were named one after another. The
// subject names a portal in at most 40 characters and three portals at
// most, counting the others, so that the day is in its first 130.
func TestReportMailSubjectStaysALine(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	long := mailWith(t, srv, strings.Repeat("z", 300))
	if !strings.Contains(long.Subject, "failing on Z"+strings.Repeat("z", 38)+"…") {
		t.Errorf("the subject does not cut the portal's name to 40 characters: %q", long.Subject)
	}
	names := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"}
	many := mailPortals(t, srv, names...)
	if !strings.Contains(many.Subject, ", 9 on 9 other portals") || strings.Contains(many.Subject, "Delta") {
		t.Errorf("the subject does not count the portals past the third: %q", many.Subject)
	}
	for _, m := range []*mailtest.Parsed{long, many} {
		if i := strings.Index(m.Subject, "Mon 2 Nov"); i < 0 || utf8.RuneCountInString(m.Subject[:i]) > 130 {
			t.Errorf("the subject's day is not in its first 130 characters: %q", m.Subject)
		}
	}
}
