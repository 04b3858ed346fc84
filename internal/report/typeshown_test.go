package report

import (
	"strings"
	"testing"
)

// TestNewTypeAlarmShowsTheTypeSafely: a new event type is a sender's text
// and its alarm goes into the mail's subject. A type of a megabyte (a
// hostile or broken sender) made a subject of a megabyte, which mail
// servers refuse, and a line break went into it as it was. A type that is
// a plain name is shown as it is; any other is quoted (escapes shown) and
// cut.
func TestNewTypeAlarmShowsTheTypeSafely(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	alarms := attentionAlarms(0, map[string]int{"location_rented": 3, huge: 1, "a\r\nBcc: x@example.com": 1})
	if len(alarms) != 3 {
		t.Fatalf("%d alarms, want 3", len(alarms))
	}
	plain := false
	for _, a := range alarms {
		for _, s := range []string{a.Short, a.Text} {
			if len(s) > 120 || strings.ContainsAny(s, "\r\n") {
				t.Errorf("alarm text of %d bytes, or with a line break: %.200q", len(s), s)
			}
		}
		plain = plain || a.Text == "new event type location_rented: 3 events, no rule maps them"
	}
	if !plain {
		t.Errorf("a plain type name is not shown as it is: %+v", alarms)
	}
}
