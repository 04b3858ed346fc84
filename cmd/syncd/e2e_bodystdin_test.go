package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// syncdRunIn runs a syncd command with stdin as its standard input and
// returns its stdout, stderr and exit status.
func syncdRunIn(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd := syncdCmd(args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &stdout, &stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		t.Fatalf("syncd %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

// TestMapReadsThePayloadFromStandardInput: syncd map -source S - said
// "syncd: open -: no such file or directory", and a payload file that did
// not read named no command. - reads the payload from standard input, as
// erase and export read -email -, mapping it as the file; a file that does
// not read is said by syncd map, exit 1, with what to give.
func TestMapReadsThePayloadFromStandardInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	lead, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	fromFile, _, code := syncdRun(t, "map", "-config", config, "-source", "lokalebasen", "../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if code != 0 {
		t.Fatalf("map of the file: exit %d\n%s", code, fromFile)
	}
	out, errOut, code := syncdRunIn(t, string(lead), "map", "-config", config, "-source", "lokalebasen", "-")
	if code != 0 || out != fromFile {
		t.Errorf("map of standard input: exit %d, stdout\n%s\nstderr %s\nwant exit 0 and what the file maps to:\n%s", code, out, errOut, fromFile)
	}
	_, errOut, code = syncdRunIn(t, `{"enquiry":`, "map", "-config", config, "-source", "lokalebasen", "-")
	if code != 2 {
		t.Errorf("map of a body that does not read from standard input: exit %d, want 2\n%s", code, errOut)
	}
	mustContain(t, "map of a body that does not read", errOut, "syncd map: the body read from standard input would be quarantined")
	missing := filepath.Join(dir, "lead.json")
	_, errOut, code = syncdRun(t, "map", "-config", config, "-source", "lokalebasen", missing)
	if code != 1 {
		t.Errorf("map of a file not there: exit %d, want 1\n%s", code, errOut)
	}
	mustContain(t, "map of a file not there", errOut, "syncd map: the payload does not read: open "+missing,
		"or - to read it from standard input")
}

// TestRepairOfADismissedBodySaysItIsGone: a corrected copy that did not
// read, for a dismissed body, was answered "syncd events show -quarantined
// ID shows it as it came", though dismissing drops the body: that command
// then said only that it is gone. It says the body is no longer kept and
// why, and where to make the copy from; the copy may come on standard
// input (-), and a body repaired already is said naming the command and
// the event, not as "syncd: ... already repaired".
func TestRepairOfADismissedBodySaysItIsGone(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	held := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880091"`)
	dismissed := mustQuarantine(t, d.url+"/hooks/eaf/"+e2eEAFToken, `{"eaf_type":"email_lead","eaf_id":"880092"`)
	if _, errOut, code := syncdRun(t, "events", "dismiss", "-config", config, dismissed); code != 0 {
		t.Fatalf("events dismiss: exit %d\n%s", code, errOut)
	}
	missing := filepath.Join(dir, "lead.json")
	_, errOut, code := syncdRun(t, "events", "repair", "-config", config, dismissed, missing)
	if code != 1 {
		t.Errorf("events repair of a dismissed body with no copy there: exit %d, want 1\n%s", code, errOut)
	}
	mustContain(t, "events repair of a dismissed body with no copy there", errOut,
		"syncd events repair: the corrected copy does not read", "no such file", "its body as it came is no longer kept, dismissed by syncd events dismiss at",
		"the sender's own record")
	if strings.Contains(errOut, "shows it as it came") {
		t.Errorf("events repair of a dismissed body points at its body as it came, which is gone:\n%s", errOut)
	}
	// A body still held is pointed at.
	_, errOut, _ = syncdRun(t, "events", "repair", "-config", config, held, missing)
	mustContain(t, "events repair of a held body with no copy there", errOut, "syncd events show -quarantined "+held+" shows it as it came")

	out, errOut, code := syncdRunIn(t, `{"eaf_type":"email_lead","eaf_id":"880092"}`, "events", "repair", "-config", config, dismissed, "-")
	if code != 0 {
		t.Fatalf("events repair of the dismissed body from standard input: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "events repair from standard input", out, "quarantined body "+dismissed+" is now event")
	_, errOut, code = syncdRunIn(t, `{"eaf_type":"email_lead","eaf_id":"880092"}`, "events", "repair", "-config", config, dismissed, "-")
	if code != 2 {
		t.Errorf("events repair of a body repaired already: exit %d, want 2\n%s", code, errOut)
	}
	mustContain(t, "events repair of a body repaired already", errOut, "syncd events repair: quarantined body "+dismissed+
		" was repaired already, as event", "nothing stored")
}
