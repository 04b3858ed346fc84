package main_test

import (
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestLateNoticeRefusalsLogNoAddress: the notice that the day's report is
// late went to a recipient the mail server refuses (an address that left
// the agency) beside one it takes. The daemon's warning said the
// recipients "could not be told", though one was, and quoted the mail
// error whole, the refused address in it: a person's address in the log
// above debug, where the report's own mail says how many were refused and
// leaves who to syncd status. It now says that some got the notice and how
// many were refused, and where to see who (syncd validate -mail); a notice
// none got says so with each address in the error put as <address>; the
// addresses stay at debug.
func TestLateNoticeRefusalsLogNoAddress(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	const gone = "ex.colleague@refused.example"
	for _, c := range []struct {
		name, to string
		says     string
	}{
		{"one of two refused", "[manager@example.com, " + gone + "]", "report late: some of its recipients told, the mail server refused the others"},
		{"the only one refused", "[" + gone + "]", "report late: its recipients could not be told"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			smtp := mailtest.Start(t, "", "")
			config, _ := blockedReportConfig(t, smtp, "127.0.0.1:0")
			raw, err := os.ReadFile(config)
			if err != nil {
				t.Fatal(err)
			}
			yaml := strings.Replace(string(raw), "to: [manager@example.com]", "to: "+c.to, 1)
			if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			d := start(t, config, "SYNCD_TEST_REPORT_RETRY=100ms", "SYNCD_TEST_REPORT_LATE=1s")
			waitFor(t, "the late notice's line", func() bool { return strings.Contains(d.log(), `"message":"report late: `) })
			d.stop(t, syscall.SIGTERM)
			logs := d.log()
			if !strings.Contains(logs, c.says) {
				t.Errorf("no line %q:\n%s", c.says, logs)
			}
			for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
				var l struct{ Level string }
				if err := json.Unmarshal([]byte(line), &l); err != nil {
					t.Fatalf("%v: %s", err, line)
				}
				if l.Level != "debug" && strings.Contains(line, "refused.example") {
					t.Errorf("a refused recipient's address at %s: %s", l.Level, line)
				}
			}
		})
	}
}
