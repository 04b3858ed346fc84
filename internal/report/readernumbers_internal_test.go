package report

import (
	"testing"
	"time"
)

// TestNumbersAreWrittenAsInTheZonesCountry: a zone's numbers are its
// country's, English where zoneLanguages names none; each zone it names
// is one time.LoadLocation knows (a misspelt one would be English, said
// nowhere).
func TestNumbersAreWrittenAsInTheZonesCountry(t *testing.T) {
	for zone, want := range map[string]string{
		"Europe/Copenhagen": "45.678 records; 1.083,4 a day; 5,6 hours",
		"Europe/Berlin":     "45.678 records; 1.083,4 a day; 5,6 hours",
		"Europe/Paris":      "45\u00a0678 records; 1\u00a0083,4 a day; 5,6 hours",
		"Europe/Zurich":     "45’678 records; 1’083.4 a day; 5.6 hours",
		"Europe/London":     "45,678 records; 1,083.4 a day; 5.6 hours",
		"UTC":               "45,678 records; 1,083.4 a day; 5.6 hours",
		"America/New_York":  "45,678 records; 1,083.4 a day; 5.6 hours",
	} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		p := readerNumbers(loc)
		got := p.Sprintf("%d records; %.1f a day; %s", 45678, 1083.44, howLong(p, 5*time.Hour+36*time.Minute))
		if got != want {
			t.Errorf("%s: %q, want %q", zone, got, want)
		}
	}
	for zone := range zoneLanguages {
		if _, err := time.LoadLocation(zone); err != nil {
			t.Errorf("the zone %q of a reader's language: %v", zone, err)
		}
	}
}
