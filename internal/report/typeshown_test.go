package report

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// TestNewTypeAlarmShowsTheTypeSafely: a new event type is a sender's text
// and its alarm goes into the mail's subject. A type of a megabyte (a
// hostile or broken sender) made a subject of a megabyte, which mail
// servers refuse, and a line break went into it as it was. A type that is
// a plain name is shown as it is; any other is quoted (escapes shown) and
// cut.
func TestNewTypeAlarmShowsTheTypeSafely(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	huge := strings.Repeat("x", 1<<20)
	for _, types := range []map[string]int{{"location_rented": 3}, {huge: 1}, {"a\r\nBcc: x@example.com": 1},
		{"location_rented": 3, huge: 1, "a\r\nBcc: x@example.com": 1}} {
		alarms := attentionAlarms(readerNumbers(time.UTC), 0, types)
		if len(alarms) != 1 {
			t.Fatalf("%d alarms, want 1: %+v", len(alarms), alarms)
		}
		a := alarms[0]
		if len(a.Short) > 120 || len(a.Text) > 300 || strings.ContainsAny(a.Short+a.Text, "\r\n") {
			t.Errorf("alarm of %d bytes (%d in the subject), or with a line break: %.400q", len(a.Text), len(a.Short), a)
		}
		if _, ok := types["location_rented"]; ok && !strings.Contains(a.Text, "location_rented") {
			t.Errorf("a plain type name is not shown as it is: %+v", a)
		}
	}
	if a := attentionAlarms(readerNumbers(time.UTC), 0, map[string]int{"location_rented": 3}); a[0].Text != "new event type location_rented: 3 events, no rule maps them" {
		t.Errorf("one new type: %q", a[0].Text)
	}
}

// TestNewEventTypesRaiseOneAlarm: a sender starting several new event
// types on a day raised an alarm for each, a banner each on the Summary
// ahead of the day's figures (and a part each of the mail's subject). They
// are one alarm, naming the types, most events first, up to five, the
// others counted; a report made again from a record that kept only its
// text raises it from the rows, not from that text.
func TestNewEventTypesRaiseOneAlarm(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	alarms := attentionAlarms(readerNumbers(time.UTC), 1, map[string]int{"listing_viewed": 1, "price_changed": 4, "viewing_booked": 1})
	want := "3 new event types, no rule maps them: price_changed (4 events), listing_viewed (1 event), viewing_booked (1 event)"
	if len(alarms) != 2 || alarms[1].Text != want || alarms[1].Short != "3 new event types" {
		t.Fatalf("alarms %+v; want the unrecognised one and %q", alarms, want)
	}
	many := map[string]int{}
	for i := range 12 {
		many[fmt.Sprintf("listing_%02d_changed", i)] = 1
	}
	alarms = attentionAlarms(readerNumbers(time.UTC), 0, many)
	want = "12 new event types, no rule maps them: listing_00_changed (1 event), listing_01_changed (1 event), " +
		"listing_02_changed (1 event), listing_03_changed (1 event), listing_04_changed (1 event), and 7 more (see Needs attention)"
	if len(alarms) != 1 || alarms[0].Text != want {
		t.Fatalf("alarms %+v; want %q", alarms, want)
	}
	if kept := recordedAlarms(Record{Summary: "ALARM: " + want + "\nLeads: 1\n"}); len(kept) != 0 {
		t.Errorf("alarms taken from an older record's text: %+v; want none (the rows raise it)", kept)
	}
}

// TestPortalFailuresTitlesOnOneLine: each column title of the Portal
// failures sheet shows on one line at the width the sheet gives it
// before its rows widen it (the hh:mm times of "Fixed at" do not): in
// LibreOffice's print "Fixed at" wrapped, "at" under "Fixed", at the
// header's edge.
func TestPortalFailuresTitlesOnOneLine(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	for _, c := range failureColumns {
		whole := 0.0
		for _, r := range c.Title {
			whole += runeWidth(r)
		}
		width := min(titleClear(c.Title, max(c.Min, titleWidth(c.Title))), c.Max)
		if need := math.Ceil(whole*1.05 + 1); width < need && !c.Stretch {
			t.Errorf("%q is %v wide at least; its title needs %v on one line", c.Title, width, need)
		}
	}
}
