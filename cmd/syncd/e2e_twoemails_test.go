package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// TestEmailGivenTwiceIsRefused: a person wrote from two addresses, and
// the DPO gave both to export and erase (-email A -email B). The flag
// package kept the last and dropped the first unsaid: export handed over
// B's leads alone, exit 0, and erase erased B's, saying "erased: 1 event",
// A's lead kept. Both now refuse (exit 2), nothing done, and say to run
// once for each address; -phone alike, and two addresses on standard input
// (-email - < FILE), of which the first was read alone.
func TestEmailGivenTwiceIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	emails := []string{"jane@example.com", "jane.doe@work.dk"}
	for i, email := range emails {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"two-%d","contact_name":"Jane Doe","contact_email":%q,`+
			`"contact_phone":"+45 52 25 05 59","contact_message_flat":"A viewing, please."}`, i, email)
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("post the lead from %s: %+v %v", email, a, err)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ cmd, flag, given, done string }{
		{"export", "-email", "jane@example.com, jane.doe@work.dk", "nothing was exported"},
		{"erase", "-email", "jane@example.com, jane.doe@work.dk", "nothing was erased"},
		{"erase", "-phone", "+45 52 25 05 59, 52 25 05 59", "nothing was erased"},
	} {
		args := []string{c.cmd, "-config", config}
		for _, v := range strings.Split(c.given, ", ") {
			args = append(args, c.flag, v)
		}
		out, stderr, code := syncdRun(t, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, "syncd "+c.cmd+": "+c.flag+" given 2 times ("+c.given+")") ||
			!strings.Contains(stderr, c.done) || !strings.Contains(stderr, "once for each") {
			t.Errorf("%s %s given twice: exit %d, want 2, nothing on stdout, the refusal on stderr\n%s%s", c.cmd, c.flag, code, out, stderr)
		}
	}
	// The same two addresses in a file, one a line (-email - < FILE): the
	// second line was left unread, unsaid.
	for _, cmd := range []string{"export", "erase"} {
		out, stderr, code := syncdWith(t, strings.Join(emails, "\n")+"\n", cmd, "-config", config, "-email", "-")
		if code != 2 || out != "" || !strings.Contains(stderr, "syncd "+cmd+": standard input holds more lines than the email read from it, so nothing was done") {
			t.Errorf("%s -email - with two addresses on standard input: exit %d, want 2, nothing on stdout, the refusal on stderr\n%s%s", cmd, code, out, stderr)
		}
	}
	for _, email := range emails { // nothing erased: each lead is there still
		if evs, _ := exportOf(t, config, email)["events"].([]any); len(evs) != 1 {
			t.Errorf("export -email %s after the refused erases: %d events, want its 1", email, len(evs))
		}
	}
}
