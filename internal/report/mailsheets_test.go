package report_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/report"
)

// sheetNamed finds where the HTML part sends its reader to a sheet of
// the workbook: "the sheet <em>Portal failures</em>".
var sheetNamed = regexp.MustCompile(`sheet (?:<em>)?(` + strings.Join([]string{regexp.QuoteMeta(report.SheetFailures),
	regexp.QuoteMeta(report.SheetAttention), regexp.QuoteMeta(report.SheetPortals), regexp.QuoteMeta(report.SheetFeeds),
	regexp.QuoteMeta(report.SheetLeads)}, "|") + `)`)

// TestMailsTextNamesTheSheetsItsHTMLDoes: the HTML part said where to
// look ("The sheet Portal failures lists each failing listing with what
// to do", "For whoever runs syncd: 6 items on the sheet Needs
// attention"); the text part, read alone by a mail program showing no
// HTML, or a phone's preview, gave the same figures and no sheet: a
// manager read "6 still failing" and "1 quarantined, 2 incomplete" with
// nowhere to find them. The text now names each sheet the HTML does.
func TestMailsTextNamesTheSheetsItsHTMLDoes(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := mail0329(t)
	named := sheetNamed.FindAllStringSubmatch(p.HTML, -1)
	if len(named) < 2 {
		t.Fatalf("the HTML part names %d sheets, want at least Portal failures and Needs attention:\n%s", len(named), p.HTML)
	}
	text := strings.Join(strings.Fields(p.Text), " ") // as a reader sees it, whatever its lines
	for _, m := range named {
		if !strings.Contains(text, "sheet "+m[1]) {
			t.Errorf("the HTML part sends its reader to the sheet %s, the text part does not:\n%s", m[1], p.Text)
		}
	}
}
