package report

import (
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// readerNumbers is how the report's text (the mail's subject, text and
// HTML, and the Summary's sentences) writes numbers: as the reader's
// Excel or LibreOffice shows the workbook's number cells, in the language
// of report.time_zone's country (zoneLanguages), with its thousands
// separator and decimal sign ("2.009 leads", "83,4 a day" in
// Europe/Copenhagen; "2,009 leads", "83.4 a day" in Europe/London and
// UTC). A Danish reader took "2,009 leads" for two and "83.4" for 834.
// The words stay English, as every other word of the report.
func readerNumbers(loc *time.Location) *message.Printer {
	tag, ok := readerLanguage(loc)
	if !ok {
		tag = language.English
	}
	return message.NewPrinter(tag)
}

// thousands is n as p writes a count: 2,009 (2.009 in Danish).
func thousands(p *message.Printer, n int) string { return p.Sprintf("%d", n) }

// plural is "No leads", "1 lead", "2,009 leads", its count as p writes
// it.
func plural(p *message.Printer, n int, one, many string) string {
	switch n {
	case 0:
		return "No " + many
	case 1:
		return "1 " + one
	}
	return p.Sprintf("%d %s", n, many)
}

// howLong says d in words as syncd.HowLong does ("10 minutes", "5.6
// hours"), the hours' decimal sign as p writes it ("5,6 hours" in
// Danish).
func howLong(p *message.Printer, d time.Duration) string {
	return syncd.HowLongIn(d, func(h float64) string { return p.Sprint(number.Decimal(h, number.MaxFractionDigits(1))) })
}
