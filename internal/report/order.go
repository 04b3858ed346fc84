package report

import (
	"cmp"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// zoneLanguages names the language of report.time_zone's country, the
// reader's: the report lists names in its alphabetical order (nameOrder)
// and writes the numbers of its text as it writes them (readerNumbers),
// as the reader's Excel or LibreOffice shows the workbook's number cells.
// It names Europe's countries whose alphabet orders letters otherwise
// than the Unicode Collation Algorithm's default does (Danish ends ... Z,
// Æ, Ø, Å, with "aa" read as Å; Swedish ... Z, Å, Ä, Ö), and those that
// write numbers otherwise than English does ("2.009" and "83,4" in
// German, "2 009" in French, "2’009" in Swiss German), whose order is
// that default. Every other zone (Europe/London, UTC) takes the default
// order and English numbers ("2,009", "83.4").
var zoneLanguages = map[string]string{
	"Europe/Copenhagen": "da", "America/Nuuk": "da", "America/Godthab": "da", "Atlantic/Faroe": "fo",
	"Europe/Oslo": "nb", "Arctic/Longyearbyen": "nb",
	"Europe/Stockholm": "sv", "Europe/Mariehamn": "sv",
	"Europe/Helsinki": "fi", "Atlantic/Reykjavik": "is",
	"Europe/Tallinn": "et", "Europe/Riga": "lv", "Europe/Vilnius": "lt",
	"Europe/Warsaw": "pl", "Europe/Prague": "cs", "Europe/Bratislava": "sk", "Europe/Budapest": "hu",
	"Europe/Ljubljana": "sl", "Europe/Zagreb": "hr", "Europe/Bucharest": "ro",
	"Europe/Istanbul": "tr", "Europe/Madrid": "es", "Atlantic/Canary": "es", "Africa/Ceuta": "es",
	"Europe/Berlin": "de", "Europe/Busingen": "de", "Europe/Vienna": "de-AT", "Europe/Zurich": "de-CH", "Europe/Vaduz": "de-LI",
	"Europe/Paris": "fr", "Europe/Monaco": "fr", "Europe/Luxembourg": "fr-LU", "Europe/Brussels": "nl-BE", "Europe/Amsterdam": "nl",
	"Europe/Rome": "it", "Europe/Vatican": "it", "Europe/San_Marino": "it", "Europe/Andorra": "ca",
	"Europe/Lisbon": "pt-PT", "Atlantic/Madeira": "pt-PT", "Atlantic/Azores": "pt-PT",
	"Europe/Athens": "el", "Asia/Nicosia": "el", "Europe/Nicosia": "el", "Asia/Famagusta": "el", "Europe/Sofia": "bg",
}

// readerLanguage is the language of loc's country (zoneLanguages), and
// whether zoneLanguages names one.
func readerLanguage(loc *time.Location) (language.Tag, bool) {
	if l, ok := zoneLanguages[loc.String()]; ok {
		return language.MustParse(l), true
	}
	return language.Und, false
}

// nameOrder returns the comparison the report orders names with, in the
// language of loc's country (zoneLanguages): case set aside, as a reader
// looks them up ("boligsiden.dk" beside "Boligportal", not after
// "Zoopla"), and the local letters where the local alphabet has them.
// Names the language holds equal stay in the order of their bytes, so
// that every report lists them alike. It is safe for concurrent use.
func nameOrder(loc *time.Location) func(a, b string) int {
	tag, _ := readerLanguage(loc)
	c := collate.New(tag)
	var mu sync.Mutex // a Collator keeps buffers of its own
	return func(a, b string) int {
		mu.Lock()
		o := c.CompareString(a, b)
		mu.Unlock()
		return cmp.Or(o, strings.Compare(a, b))
	}
}
