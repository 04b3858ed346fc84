package main_test

import (
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestOperationIDOfAnErasedPersonIsNotGivenAgain: the newest operations,
// 3 and 4, were an erased person's; SQLite gave the next lead's operations
// 3 and 4 again, so `syncd outbox show 3` or `retry 3`, typed from a log
// line or workbook naming the erased person's operation, showed or sent
// another person's. An operation id names one operation for good: the next
// lead's are 5 and 6, and `outbox show 3` says no operation by that id is
// held and what removes them (exit 3).
func TestOperationIDOfAnErasedPersonIsNotGivenAgain(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	ids := func(state string) []int64 {
		out, _, _ := syncdRun(t, "outbox", "list", "-json", "-state", state, "-config", config)
		var got []int64
		for line := range strings.Lines(out) {
			var op struct{ ID int64 }
			if json.Unmarshal([]byte(line), &op) == nil {
				got = append(got, op.ID)
			}
		}
		return got
	}
	postTestdata(t, d, "eaf/email_lead.json")              // operations 1 and 2
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // 3 and 4: the person erased
	waitFor(t, "both leads' operations done", func() bool { return len(ids("done")) == 4 })
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")

	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	other := strings.NewReplacer("support@estateagentfeeds.com", "another.client@example.com",
		"77722226661727188822717", "77722226661727188822718").Replace(string(body))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(other)); err != nil || a.Code != 200 {
		t.Fatalf("post another lead: %+v %v", a, err)
	}
	waitFor(t, "the other lead's operations done", func() bool { return len(ids("done")) == 4 })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if got := ids("done"); len(got) != 4 || got[0] != 6 || got[1] != 5 {
		t.Errorf("operations held after the erasure and the next lead: %v; want 6 5 2 1 (3 and 4 given to none)", got)
	}
	out, errOut, code := syncdRun(t, "outbox", "show", "-config", config, "3")
	if code != 3 || strings.Contains(out, "another.client") || !strings.Contains(errOut, "no operation by that id is held") {
		t.Errorf("outbox show of the erased person's operation: exit %d\n%s\nstderr: %s", code, out, errOut)
	}
}
