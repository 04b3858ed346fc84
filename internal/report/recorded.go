package report

import (
	"regexp"
	"slices"
	"strings"
)

// What the report says when the alarms could not be read, in the mail's
// subject and before the error.
const (
	unreadableShort = "alarms unreadable"
	unreadableText  = "the alarms could not be read: "
)

// rowsAlarm matches the texts of the alarms a day's own rows raise
// (attentionAlarms), which a report made again raises from the rows as
// they are then.
var rowsAlarm = regexp.MustCompile(`^([\d,]+ unrecognised events?: |new event type |[\d,]+ new event types, )`)

// recordedAlarms are the alarms the report of rec was made with: those
// recorded with it, or, for a report recorded by a version that kept them
// only as the "ALARM: " lines of its summary text (Summary's Text), those
// lines, but for the alarms its rows raised. Their times are in the text,
// as shown then.
func recordedAlarms(rec Record) []Alarm {
	if len(rec.Alarms) > 0 {
		return slices.Clone(rec.Alarms)
	}
	var out []Alarm
	for line := range strings.Lines(rec.Summary) {
		text, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ALARM: ")
		if !ok || rowsAlarm.MatchString(text) {
			continue
		}
		short := "alarm"
		if strings.HasPrefix(text, unreadableText) {
			short = unreadableShort
		}
		out = append(out, Alarm{Short: short, Text: text})
	}
	return out
}
