package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReloadTakesTheAgencysName: an integrator renamed an agency in
// agency: (a typo, a merger) and reloaded. The reload said "read only at
// start: agency: … systemctl restart syncd", status and the systemd
// status line said so until a restart, which drops the senders'
// connections, and the daemon's next report went on naming the old
// agency in its mail. The reload takes it: the next report the daemon
// mails names the new agency, and nothing says a restart is needed.
func TestReloadTakesTheAgencysName(t *testing.T) {
	t.Parallel()
	cph := mustZone(t, "Europe/Copenhagen") // the report's default time zone
	now := time.Now().In(cph)
	if midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, cph); midnight.Sub(now) < 5*time.Minute ||
		now.Sub(midnight.AddDate(0, 0, -1)) < 5*time.Minute {
		t.Skip("within 5 minutes of midnight in Copenhagen: the reports' days would change under the test")
	}
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	write := func(agency string) {
		t.Helper()
		yaml := configYAML(dir, []string{e2eLBToken}, "agency: \""+agency+"\"\nreport:\n  schedule: \"@every 1s\"\n"+
			mailTo(smtp.Host, smtp.Port))
		if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("Nordhavn Erhverv")
	installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3)
	// Today's report made by hand holds the daemon's first back: no day
	// before the first report made is due, so it mails none as it starts.
	if _, stderr, code := syncdRun(t, "report", "-date", "today", "-config", config); code != 0 {
		t.Fatalf("report -date today: exit %d\n%s", code, stderr)
	}
	n, sock := listenNotify(t)
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	n.await(t, "READY=1")

	write("Sydhavn Erhverv")
	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || strings.Contains(out+stderr, "agency") || strings.Contains(out, "read only at start") {
		t.Fatalf("reload of a new agency: exit %d\n%s%s\nwant exit 0, and no restart wanted", code, out, stderr)
	}
	// The report of the day before yesterday, made by hand, makes
	// yesterday's due at the daemon's next run, a second on.
	before := now.AddDate(0, 0, -2).Format(time.DateOnly)
	if _, stderr, code := syncdRun(t, "report", "-date", before, "-config", config); code != 0 {
		t.Fatalf("report -date %s: exit %d\n%s", before, code, stderr)
	}
	waitFor(t, "the daemon's report mail", func() bool { return len(smtp.Messages()) > 0 })
	mail := smtp.Only(t)
	yesterday := now.AddDate(0, 0, -1).Format("Mon 2 Jan 2006") // the day the subject names
	if !strings.Contains(mail.Subject, "Sydhavn Erhverv") || strings.Contains(mail.Subject, "Nordhavn") ||
		!strings.Contains(mail.Subject, yesterday) {
		t.Errorf("the report mailed after the reload: subject %q, want the agency as reloaded, Sydhavn Erhverv, and %s",
			mail.Subject, yesterday)
	}
	if !strings.Contains(mail.Text, "Sydhavn Erhverv") || strings.Contains(mail.Text+mail.HTML, "Nordhavn") {
		t.Errorf("the report's mail does not name the agency as reloaded:\n%s", mail.Text)
	}
	workbook := filepath.Join(dir, "data", "reports", "leads-"+now.AddDate(0, 0, -1).Format(time.DateOnly)+".xlsx")
	if text := workbookText(t, workbook); !strings.Contains(text, "Sydhavn Erhverv") || strings.Contains(text, "Nordhavn") {
		t.Errorf("the workbook made after the reload does not name the agency as reloaded:\n%s", text)
	}

	out, _, _ = syncdRun(t, "status", "-config", config)
	if strings.Contains(out, "read only at start") || !strings.Contains(out, "Sydhavn Erhverv") {
		t.Errorf("status after the reload of a new agency:\n%s\nwant the new agency, and no restart wanted", out)
	}
	for {
		select {
		case m := <-n.got:
			if strings.Contains(m, "read only at start") {
				t.Errorf("the systemd status line after the reload of a new agency wants a restart: %q", m)
			}
			continue
		default:
		}
		break
	}
}
