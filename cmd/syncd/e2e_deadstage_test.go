package main_test

import (
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPipedriveStageFromThePayloadDeadLetterSaysStage: a rule writes each
// deal's stage from the payload, which syncd crm check cannot judge, and
// a lead names a stage the account has not: the lead is dead-lettered as
// its own value. Its fix said "a value the CRM does not take", to be
// entered by hand "(the value corrected)", as of a mistyped email; it now
// says it is the deal's stage and what to fix: the mapping's value (a
// stage of the pipeline written, or its pipeline beside it).
func TestPipedriveStageFromThePayloadDeadLetterSaysStage(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	maps, shipped := shippedMappingsEdited(t, dir, "pipedrive", func(name, s string) string {
		if name == "eaf.yaml" {
			s = regexp.MustCompile(`(?m)^( *)stage: .*$`).ReplaceAllString(s, `${1}stage: {path: eaf_reference, write: create}`)
		}
		return s
	})
	config := writeListeningConfig(t, dir, pipedriveConfig(dir, url), shipped, maps)
	out, errOut, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, errOut)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	defer func() {
		if t.Failed() {
			t.Logf("the daemon's log:\n%s", d.log())
		}
	}()
	postTestdata(t, d, "eaf/email_lead.json") // eaf_reference 87654321: no stage's name or id
	waitFor(t, "the dead letter", func() bool { return strings.Contains(d.log(), "dead letter") })
	var line string
	for _, l := range strings.Split(d.log(), "\n") {
		if strings.Contains(l, "dead letter") {
			line = l
		}
	}
	t.Logf("the dead letter's line:\n%s", line)
	for _, want := range []string{`"property":"stage"`, "this lead's deal stage (stage)", "a stage of the pipeline", "syncd replay", "syncd outbox give-up"} {
		if !strings.Contains(line, want) {
			t.Errorf("no %q in the dead letter's line:\n%s", want, line)
		}
	}
}
