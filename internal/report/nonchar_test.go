package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestNoncharactersShowAsSpaces: a sender's text holding a noncharacter
// (U+FFFE, U+FFFF: what a byte-swapped byte-order mark decodes to, and
// which XML cannot hold) showed in the workbook as "?" in a box (U+FFFD,
// excelize's escaping of what XML cannot hold: "Onthe market\ufffd" on the
// Summary, the Leads and the Portal failures sheets), and reached the
// mail's subject, text and HTML as it was (a box, or nothing, as the mail
// client pleases). It now shows as a space, as a control character does.
func TestNoncharactersShowAsSpaces(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	m := mailWith(t, srv, `onthe\ufffemarket\uffff\ufdd0now`)
	odd := func(r rune) bool { return r == '\ufffd' || r == '\ufffe' || r == '\uffff' || r == '\ufdd0' }
	for part, s := range map[string]string{"subject": m.Subject, "text": m.Text, "HTML": m.HTML} {
		if i := strings.IndexFunc(s, odd); i >= 0 {
			t.Errorf("the mail's %s holds %q: %q", part, []rune(s[i:])[0], s)
		}
		if !strings.Contains(s, "Onthe market  now") {
			t.Errorf("the mail's %s does not name the portal with a space for each noncharacter (Onthe market  now): %q", part, s)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(m.Attachments["leads-2026-11-02.xlsx"]))
	if err != nil {
		t.Fatalf("the attached workbook does not open: %v", err)
	}
	defer f.Close()
	shown := 0
	for _, sheet := range []string{report.SheetLeads, "Summary", "Portal failures"} {
		for _, row := range rows(t, f, sheet) {
			for _, v := range row {
				if i := strings.IndexFunc(v, odd); i >= 0 {
					t.Errorf("a cell of %s shows %q: %q", sheet, []rune(v[i:])[0], v)
				}
				if strings.Contains(v, "Onthe market  now") {
					shown++
				}
			}
		}
	}
	if shown < 3 {
		t.Errorf("the workbook names the portal as Onthe market  now in %d cells, want one on each of the three sheets at least", shown)
	}
}
