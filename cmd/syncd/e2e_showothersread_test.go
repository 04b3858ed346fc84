package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLeadDataToAFileOthersReadIsSaid: `syncd events show ID > FILE` and
// `syncd events show -quarantined -body ID > FILE` (the daemon's own advice
// for saving a quarantined body to correct) wrote a lead's personal data to
// a file the shell made 0644 under umask 022, saying nothing, where export
// warned. Every command that prints a lead's data to stdout (events show in
// each form, outbox show and list, whose KEY is the contact's email, and
// map) now says so on stderr, as export does; to a file only its owner
// reads, or from events list, which prints no person's data, it says
// nothing.
func TestLeadDataToAFileOthersReadIsSaid(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	q := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880401","contact_email":"ann@example.com"`)
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	const warning = "may be read by other users (mode 0644) and holds a lead's personal data: chmod 600 it"
	for i, c := range []struct {
		args  []string
		holds string // what stdout must hold, so the command did print the data
		warns bool
	}{
		{[]string{"events", "show", "1"}, "angela7913@hotmail.com", true},
		{[]string{"events", "show", "-quarantined", "-body", q}, "ann@example.com", true},
		{[]string{"events", "show", "-quarantined", q}, "ann@example.com", true},
		{[]string{"events", "show", "-quarantined", "-json", q}, "ann@example.com", true},
		{[]string{"outbox", "show", "1"}, "angela7913@hotmail.com", true},
		{[]string{"outbox", "list"}, "angela7913@hotmail.com", true},
		{[]string{"map", "-source", "lokalebasen", "../../testdata/webhooks/lokalebasen/enquiry_created.json"}, "angela7913@hotmail.com", true},
		{[]string{"events", "list"}, "", false},
		{[]string{"events", "list", "-quarantined"}, "", false},
	} {
		for _, mode := range []os.FileMode{0o644, 0o600} {
			name := filepath.Join(dir, "out"+string(rune('a'+i))+mode.String())
			f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Chmod(mode); err != nil { // whatever the umask
				t.Fatal(err)
			}
			var errOut strings.Builder
			words := 2 // the command's name: events show, outbox list, map
			if c.args[0] == "map" {
				words = 1
			}
			args := append(append(append([]string{}, c.args[:words]...), "-config", config), c.args[words:]...)
			cmd := syncdCmd(args...)
			cmd.Stdout, cmd.Stderr = f, &errOut
			err = cmd.Run()
			f.Close()
			out, _ := os.ReadFile(name)
			if err != nil || !strings.Contains(string(out), c.holds) {
				t.Errorf("%s > a file of mode %04o: %v, want exit 0 and %q in the file\n%s%s", strings.Join(c.args, " "), mode, err, c.holds, out, errOut.String())
				continue
			}
			said := strings.Contains(errOut.String(), "syncd "+strings.Join(args[:words], " ")+": the file stdout went to "+warning)
			if want := c.warns && mode == 0o644; said != want {
				t.Errorf("%s > a file of mode %04o: warned %v, want %v\n%s", strings.Join(c.args, " "), mode, said, want, errOut.String())
			}
		}
	}
}
