package config

import (
	_ "embed"
	"fmt"
	"path"
	"strings"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// zoneList is the names of Go's time zone database (time/tzdata, which
// the binary links; the list is kept to it by TestZoneListIsGos), one a
// line: what a misspelt report.time_zone is compared with.
//
//go:embed zones.txt
var zoneList string

// zoneProblem says why name, which no time zone has, is not one, and what
// was probably meant: the name in other case (zone names are
// case-sensitive), the zone of a city given alone (Copenhagen), or the
// nearest name.
func zoneProblem(name string) string {
	names := strings.Fields(zoneList)
	msg := fmt.Sprintf("%q is not a time zone", name)
	for _, z := range names {
		if strings.EqualFold(z, strings.TrimSpace(name)) {
			return fmt.Sprintf("%s: the names are case-sensitive: write %s", msg, z)
		}
	}
	for _, z := range names {
		if strings.Contains(z, "/") && strings.EqualFold(path.Base(z), strings.TrimSpace(name)) {
			return fmt.Sprintf("%s: a zone is named by region and city: write %s", msg, z)
		}
	}
	if near := suggest.Nearest(name, names); near != "" {
		return fmt.Sprintf("%s: did you mean %s?", msg, near)
	}
	return msg + ": write an IANA zone name, as Europe/Copenhagen or UTC (timedatectl list-timezones lists them)"
}
