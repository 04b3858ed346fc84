package dbdown

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

type line struct {
	Level, Message, Error, Part, For string
	DownFor                          string `json:"down_for"`
	Failures                         int
	Parts                            []string
}

func lines(t *testing.T, buf *bytes.Buffer) []line {
	t.Helper()
	var out []line
	for _, s := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if s == "" {
			continue
		}
		var l line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("%v: %s", err, s)
		}
		out = append(out, l)
	}
	return out
}

// TestAnHoursOutageIsThreeKindsOfLine: four parts failing every 2 s for
// an hour were 7,200 lines (1,440 at one per part per 10 s); they are now
// one error line when the database went away, a warning every 5 minutes
// with the count, and one line once every part answers again. A session
// that ended is no outage by itself (a DBA may end one), but counts in one.
func TestAnHoursOutageIsThreeKindsOfLine(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(1_800_000_000, 0)
	l := New(zerolog.New(&buf), "postgres://db:5432/syncd", "deliveries answered 503", 0, func() time.Time { return now })
	parts := []string{"listen", "lead sync", "lead report", "heartbeat"}
	refused := errors.New("connect: connection refused")
	start := now
	ended := errors.New("FATAL: terminating connection due to administrator command (SQLSTATE 57P01)")
	if l.Failed(Failure{Part: "listen", Err: ended, Retries: true}) {
		t.Fatal("a session ended began an outage")
	}
	for now.Sub(start) < time.Hour {
		for _, p := range parts {
			l.Failed(Failure{Part: p, Err: refused, Retries: true, Connect: true})
		}
		now = now.Add(2 * time.Second)
	}
	if !l.Failed(Failure{Part: "lead sync", Err: ended, Retries: true}) {
		t.Fatal("a session ended during the outage was not counted in it")
	}
	l.Failed(Failure{Part: "intake", Err: refused, Connect: true})
	for _, p := range parts[:3] {
		l.Answered(p)
	}
	if got := lines(t, &buf); got[len(got)-1].Message == "database answers again" {
		t.Fatalf("the outage ended while the heartbeat still fails: %+v", got[len(got)-1])
	}
	now = now.Add(time.Second)
	l.Answered("heartbeat")
	l.Answered("listen") // no outage under way: nothing
	got := lines(t, &buf)
	if len(got) != 1+12+1 { // the last reminder at 1h, the failed delivery
		t.Fatalf("%d lines, want the first, 12 reminders and the end:\n%s", len(got), buf.String())
	}
	if f := got[0]; f.Level != "error" || f.Part != "listen" || f.Error != refused.Error() ||
		f.Message != "database not answering: deliveries answered 503, until it answers" {
		t.Errorf("first line: %+v", f)
	}
	r := got[1]
	if r.Level != "warn" || r.For != "5m0s" || r.Failures != 5*60/2*4 || strings.Join(r.Parts, ",") != "heartbeat,lead report,lead sync,listen" ||
		r.Message != "database still not answering: deliveries answered 503, until it answers" {
		t.Errorf("first reminder: %+v", r)
	}
	if e := got[len(got)-1]; e.Level != "info" || e.Message != "database answers again" || e.DownFor != "1h0m1s" ||
		e.Failures != 3600/2*4+2 {
		t.Errorf("last line: %+v", e)
	}

	buf.Reset() // the next outage is told as new
	l.Failed(Failure{Part: "intake", Err: refused, Connect: true})
	l.Answered("heartbeat")
	if got := lines(t, &buf); len(got) != 2 || got[0].Level != "error" || got[1].DownFor != "0s" || got[1].Failures != 1 {
		t.Errorf("a failed delivery's commit alone:\n%s", buf.String())
	}
}
