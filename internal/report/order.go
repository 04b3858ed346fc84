package report

import (
	"cmp"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// zoneLanguages names the language whose alphabetical order the report
// lists names in (portals, sources), by report.time_zone: the reader's,
// where the zone is a country's whose alphabet orders letters otherwise
// than the Unicode Collation Algorithm's default does (Danish ends ... Z,
// Æ, Ø, Å, with "aa" read as Å; Swedish ... Z, Å, Ä, Ö). Every other zone
// (Europe/London, UTC) takes that default, which suits English, German,
// French, Dutch and Italian alike.
var zoneLanguages = map[string]string{
	"Europe/Copenhagen": "da", "America/Nuuk": "da", "America/Godthab": "da", "Atlantic/Faroe": "fo",
	"Europe/Oslo": "nb", "Arctic/Longyearbyen": "nb",
	"Europe/Stockholm": "sv", "Europe/Mariehamn": "sv",
	"Europe/Helsinki": "fi", "Atlantic/Reykjavik": "is",
	"Europe/Tallinn": "et", "Europe/Riga": "lv", "Europe/Vilnius": "lt",
	"Europe/Warsaw": "pl", "Europe/Prague": "cs", "Europe/Bratislava": "sk", "Europe/Budapest": "hu",
	"Europe/Ljubljana": "sl", "Europe/Zagreb": "hr", "Europe/Bucharest": "ro",
	"Europe/Istanbul": "tr", "Europe/Madrid": "es",
}

// nameOrder returns the comparison the report orders names with, in the
// language of loc's country (zoneLanguages): case set aside, as a reader
// looks them up ("boligsiden.dk" beside "Boligportal", not after
// "Zoopla"), and the local letters where the local alphabet has them.
// Names the language holds equal stay in the order of their bytes, so
// that every report lists them alike. It is safe for concurrent use.
func nameOrder(loc *time.Location) func(a, b string) int {
	tag := language.Und
	if l, ok := zoneLanguages[loc.String()]; ok {
		tag = language.MustParse(l)
	}
	c := collate.New(tag)
	var mu sync.Mutex // a Collator keeps buffers of its own
	return func(a, b string) int {
		mu.Lock()
		o := c.CompareString(a, b)
		mu.Unlock()
		return cmp.Or(o, strings.Compare(a, b))
	}
}
