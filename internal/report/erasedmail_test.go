package report

import (
	"strings"
	"testing"
	"time"
)

// TestMailHTMLSaysTheLeadsErased: the subject and HTML part of a day's
// mail, made again after syncd erase took all its leads, said "No leads"
// and "Nothing was received on this day"; of a day with some left,
// nothing of those erased. They say how many were erased, as the text does.
func TestMailHTMLSaysTheLeadsErased(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	s := newSummary(Day{2026, 12, 1}, time.UTC, time.Date(2026, 12, 8, 14, 0, 0, 0, time.UTC))
	s.erased = 3
	if got, want := s.Subject(), "No leads (3 erased) · Tue 1 Dec 2026"; got != want {
		t.Errorf("the subject of a day whose 3 leads were erased: %q, want %q", got, want)
	}
	html := s.HTML()
	if want := "3 leads were received on this day and erased since (syncd erase)"; !strings.Contains(html, want) ||
		strings.Contains(html, "Nothing was received") {
		t.Errorf("the HTML of a day whose 3 leads were erased lacks %q:\n%s", want, html)
	}
	s.leads, s.perSource["Rightmove"], s.erased = 1, 1, 1
	html = s.HTML()
	if want := "1 more lead was received on this day and erased since (syncd erase)"; !strings.Contains(html, want) {
		t.Errorf("the HTML of a day with 1 lead left and 1 erased lacks %q:\n%s", want, html)
	}
}
