package main_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestEraseNamesNoMailSentBeforeThePersonCame: a report of a day not
// over, mailed by hand, holds the leads received until it was made. A
// person whose lead came after it was still told of by erase as "mailed
// copy: the report of DAY mailed at … still lists the person in the
// recipients' mailboxes (… ask them to delete that mail)", a mail that
// never held them. Erase now names a mailed copy only when something of
// the person's day came before it was mailed; the one who was in it is
// still named.
func TestEraseNamesNoMailSentBeforeThePersonCame(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: UTC\n"+mailTo(smtp.Host, smtp.Port))
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // angela7913@hotmail.com, in the mail
	day := time.Now().UTC().Format(time.DateOnly)
	if out, stderr, code := syncdRun(t, "report", "-mail", "-date", day, "-config", config); code != 0 || len(smtp.Messages()) != 1 {
		t.Fatalf("report -mail of today: exit %d, %d mails\n%s%s", code, len(smtp.Messages()), out, stderr)
	}
	time.Sleep(10 * time.Millisecond)         // the next lead comes after the mail
	postTestdata(t, d, "eaf/email_lead.json") // support@estateagentfeeds.com, after it
	if now := time.Now().UTC().Format(time.DateOnly); now != day {
		t.Skipf("the day changed (%s to %s) between the mail and the second lead", day, now)
	}
	// export gave that mail as one listing the person too.
	for _, c := range []struct {
		email  string
		mailed bool
	}{{"support@estateagentfeeds.com", false}, {"angela7913@hotmail.com", true}} {
		var ex struct {
			Reports []map[string]any `json:"reports"`
		}
		js := syncdOK(t, "export", "-config", config, "-email", c.email)
		if err := json.Unmarshal([]byte(js), &ex); err != nil || len(ex.Reports) != 1 || (ex.Reports[0]["mailed_at"] != nil) != c.mailed {
			t.Errorf("export of %s: %v, reports %v; want today's workbook, mailed_at set: %v", c.email, err, ex.Reports, c.mailed)
		}
	}
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com")
	if code != 0 || !strings.Contains(out, "erased: 1 event") || strings.Contains(out, "mailed copy") {
		t.Errorf("erase of a person who came after the day's mail: exit %d, want it erased and no mailed copy named\nstdout: %s\nstderr: %s",
			code, out, stderr)
	}
	out, stderr, code = syncdRun(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(out, "mailed copy: the report of "+day+" mailed at ") {
		t.Errorf("erase of the person the mail held: exit %d, want the mailed copy named\nstdout: %s\nstderr: %s", code, out, stderr)
	}
}
