package main_test

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestOperationIDOfAnErasedPersonIsNotGivenAgain: the newest operations,
// 3 and 4, were an erased person's; SQLite gave the next lead's operations
// 3 and 4 again, so `syncd outbox show 3` or `retry 3`, typed from a log
// line or workbook naming the erased person's operation, showed or sent
// another person's. An operation id names one operation for good: the next
// lead's are 5 and 6, and `outbox show` of an erased one says no operation
// by that id is held and what removes them (exit 3). The erased person's
// are told by their event: two leads mapped in one transaction have their
// contacts 1 and 2 and their deals 3 and 4.
func TestOperationIDOfAnErasedPersonIsNotGivenAgain(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	type op struct{ ID, EventID int64 }
	ops := func(state string) []op {
		out, _, _ := syncdRun(t, "outbox", "list", "-json", "-state", state, "-config", config)
		var got []op
		for line := range strings.Lines(out) {
			var o struct {
				ID      int64 `json:"id"`
				EventID int64 `json:"event_id"`
			}
			if json.Unmarshal([]byte(line), &o) == nil {
				got = append(got, op{o.ID, o.EventID})
			}
		}
		return got
	}
	ids := func(state string) []int64 {
		var got []int64
		for _, o := range ops(state) {
			got = append(got, o.ID)
		}
		return got
	}
	postTestdata(t, d, "eaf/email_lead.json")              // event 1
	postTestdata(t, d, "lokalebasen/enquiry_created.json") // event 2: the person erased
	waitFor(t, "both leads' operations done", func() bool { return len(ids("done")) == 4 })
	var erased, kept []int64 // newest first, as outbox list gives them
	for _, o := range ops("done") {
		if o.EventID == 2 {
			erased = append(erased, o.ID)
		} else {
			kept = append(kept, o.ID)
		}
	}
	if len(erased) != 2 || !slices.Contains(erased, 4) {
		t.Fatalf("operations of the lead to erase %v (the others %v); want two, the newest 4 among them", erased, kept)
	}
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
	if got, want := ids("done"), append([]int64{6, 5}, kept...); !slices.Equal(got, want) {
		t.Errorf("operations held after the erasure of %v and the next lead: %v; want %v (the erased ids given to none)", erased, got, want)
	}
	out, errOut, code := syncdRun(t, "outbox", "show", "-config", config, strconv.FormatInt(min(erased[0], erased[1]), 10))
	if code != 3 || strings.Contains(out, "another.client") || !strings.Contains(errOut, "no operation by that id is held") {
		t.Errorf("outbox show of the erased person's operation: exit %d\n%s\nstderr: %s", code, out, errOut)
	}
}
