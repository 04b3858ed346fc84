package sender

import "time"

// zonedLayouts are the forms of a date and time with an offset that senders
// write: RFC 3339 (Estate Agent Feeds' eaf_date, "2021-09-03T22:06:38+01:00"),
// with a space for the T, and the offsets ISO 8601 also allows, without
// the colon ("+0100", PHP's DATE_ISO8601) or as hours alone ("+01").
// Fractions of a second are read whatever the layout says.
var zonedLayouts = [...]string{
	time.RFC3339,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02 15:04:05Z07",
}

// ParseTime reads a date and time with an offset as senders write it (see
// zonedLayouts); ok is false for anything else, a time without an offset
// included. The report and mapping read senders' times through it.
func ParseTime(s string) (t time.Time, ok bool) {
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
