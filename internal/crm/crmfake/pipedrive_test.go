package crmfake_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

func dataList(a answer) []any {
	l, _ := a.body["data"].([]any)
	return l
}

func searchItems(a answer) []any {
	d, _ := a.body["data"].(map[string]any)
	l, _ := d["items"].([]any)
	return l
}

// TestPipedriveListsLagAndHoldLists: lists and search lag separately;
// persons hold lists of emails and phones that a PATCH replaces and that
// search matches on any value; a person's edit shows at once.
func TestPipedriveListsLagAndHoldLists(t *testing.T) {
	clk := newClock()
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok", SearchLag: 10 * time.Second, ListLag: 5 * time.Second, Now: clk.Now})
	p := call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann",
		"emails": []map[string]any{{"value": "a@x.example", "primary": true}, {"value": "b@x.example"}}})
	if p.status != 200 {
		t.Fatalf("create: %d %s", p.status, p.raw)
	}
	id := fmt.Sprint(p.body["data"].(map[string]any)["id"])
	recent := base + "/persons?sort_by=add_time&sort_direction=desc&limit=1"
	if l := dataList(call(t, "GET", recent, "tok", nil)); len(l) != 0 {
		t.Fatalf("listed before its lag: %v", l)
	}
	clk.Advance(6 * time.Second)
	if l := dataList(call(t, "GET", recent, "tok", nil)); len(l) != 1 || len(l[0].(map[string]any)["emails"].([]any)) != 2 {
		t.Fatalf("list after lag: %v", l)
	}
	search := base + "/persons/search?term=b@x.example&fields=email&exact_match=true"
	if n := len(searchItems(call(t, "GET", search, "tok", nil))); n != 0 {
		t.Fatal("searchable before the search lag")
	}
	clk.Advance(5 * time.Second)
	if n := len(searchItems(call(t, "GET", search, "tok", nil))); n != 1 {
		t.Fatal("not found by its second email")
	}
	call(t, "PATCH", base+"/persons/"+id, "tok", map[string]any{"emails": []map[string]any{{"value": "c@x.example"}}})
	if st := srv.State(); !slices.Equal(st.Contacts[0].Emails, []string{"c@x.example"}) {
		t.Fatalf("PATCH did not replace the list: %v", st.Contacts[0].Emails)
	}
	if a := call(t, "POST", strings.TrimSuffix(base, "/api/v2")+"/__admin/edit/contacts/"+id, "", map[string]any{"properties": map[string]string{"name": "Ann Lee"},
		"phones": []string{"+4511111111", "+4522222222"}}); a.status != 200 {
		t.Fatalf("edit: %d %s", a.status, a.raw)
	}
	c := srv.State().Contacts[0]
	if c.Properties["name"] != "Ann Lee" || !slices.Equal(c.Phones, []string{"+4511111111", "+4522222222"}) {
		t.Fatalf("after the edit: %+v", c)
	}
}

// TestPipedriveSearchHeadersAndTokenBudget: a search answer carries the
// search limit; a spent token budget answers 429 with room left in the
// window and no daily header.
func TestPipedriveSearchHeadersAndTokenBudget(t *testing.T) {
	_, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, RateLimit: 100, SearchLimit: 10, DailyTokens: 100})
	s := call(t, "GET", base+"/persons/search?term=zz&exact_match=true", "", nil)
	if s.header.Get("X-Ratelimit-Limit") != "10" {
		t.Fatalf("search answer's limit %q, want 10", s.header.Get("X-Ratelimit-Limit"))
	}
	var last answer
	for i := 0; i < 20 && last.status != 429; i++ {
		last = call(t, "GET", base+"/persons", "", nil) // 20 tokens each
	}
	if last.status != 429 || last.header.Get("X-Daily-Requests-Left") == "0" {
		t.Fatalf("spent budget: %d, daily header %q", last.status, last.header.Get("X-Daily-Requests-Left"))
	}
	if n, _ := strconv.Atoi(last.header.Get("X-Ratelimit-Remaining")); n == 0 {
		t.Fatal("the window shows no room: indistinguishable from a burst 429")
	}
}

// TestPipedriveMergePersons: PUT /api/v1/persons/{id}/merge removes the
// person, keeps the survivor's values with both persons' emails, and moves
// the removed person's deals to the survivor; the removed id is gone.
func TestPipedriveMergePersons(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok"})
	id := func(a answer) string { return fmt.Sprint(a.body["data"].(map[string]any)["id"]) }
	ann := id(call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann", "emails": []map[string]any{{"value": "ann@x.example"}}}))
	lee := id(call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann Lee", "emails": []map[string]any{{"value": "lee@x.example"}}}))
	n, _ := strconv.ParseInt(ann, 10, 64)
	call(t, "POST", base+"/deals", "tok", map[string]any{"title": "Enquiry", "person_id": n})
	v1 := strings.TrimSuffix(base, "/api/v2") + "/api/v1"
	m, _ := strconv.ParseInt(lee, 10, 64)
	a := call(t, "PUT", v1+"/persons/"+ann+"/merge", "tok", map[string]any{"merge_with_id": m})
	if a.status != 200 || id(a) != lee || fmt.Sprint(a.body["data"].(map[string]any)["merge_what_id"]) != ann {
		t.Fatalf("merge: %d %s", a.status, a.raw)
	}
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].Properties["name"] != "Ann Lee" ||
		!slices.Equal(st.Contacts[0].Emails, []string{"lee@x.example", "ann@x.example"}) {
		t.Fatalf("after the merge: %+v", st.Contacts)
	}
	if d := st.Deals[0]; len(d.ContactIDs) != 1 || d.ContactIDs[0] != lee {
		t.Fatalf("deal not moved to the survivor: %+v", d)
	}
	if g := call(t, "GET", base+"/persons/"+ann, "tok", nil); g.status != 404 {
		t.Fatalf("GET of the merged id: %d", g.status)
	}
}

// TestPipedriveRefusesTextOverItsFieldsLimit: a text custom field holds
// up to 255 characters (varchar, varchar_auto, phone) or 65,000 ("65k":
// text) [pd-sdk]; crmfake took a value of any length, so a lead Pipedrive
// would refuse went in. A longer value is refused with its record, naming
// the field; characters, not bytes, count.
func TestPipedriveRefusesTextOverItsFieldsLimit(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok"})
	short := srv.AddField("deal", crmfake.Field{Name: "Portal", Type: "varchar"})
	long := srv.AddField("deal", crmfake.Field{Name: "Message", Type: "text"})
	phone := srv.AddField("deal", crmfake.Field{Name: "Other phone", Type: "phone"})
	for _, c := range []struct {
		code, v string
		ok      bool
	}{
		{short, strings.Repeat("æ", 255), true},
		{short, strings.Repeat("a", 256), false},
		{phone, strings.Repeat("1", 256), false},
		{long, strings.Repeat("ø", 65000), true},
		{long, strings.Repeat("a", 65001), false},
	} {
		a := call(t, "POST", base+"/deals", "tok", map[string]any{"title": "T", "custom_fields": map[string]any{c.code: c.v}})
		if got := a.status == 200; got != c.ok || !c.ok && !strings.Contains(a.raw, "characters") {
			t.Errorf("%d characters into %s: %d %.200s", len([]rune(c.v)), c.code, a.status, a.raw)
		}
	}
	if n := len(srv.State().Deals); n != 2 {
		t.Fatalf("%d deals, want the 2 that fit", n)
	}
}

// TestPipedrivePersonDeletedGoesToTheTrash: with SoftDeletePersons a
// deleted person stays, as in Pipedrive: GET shows it deleted, a PATCH of
// it is refused, and it is no longer searched, listed, given a deal or in
// State; without it, the person is gone (404).
func TestPipedrivePersonDeletedGoesToTheTrash(t *testing.T) {
	for _, soft := range []bool{true, false} {
		srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, SoftDeletePersons: soft})
		p := call(t, "POST", base+"/persons", "", map[string]any{"name": "Ann", "emails": []map[string]any{{"value": "a@x.example", "primary": true}}})
		id := fmt.Sprint(p.body["data"].(map[string]any)["id"])
		if d := call(t, "DELETE", base+"/persons/"+id, "", nil); d.status != 200 {
			t.Fatalf("delete: %d %s", d.status, d.raw)
		}
		get := call(t, "GET", base+"/persons/"+id, "", nil)
		patch := call(t, "PATCH", base+"/persons/"+id, "", map[string]any{"name": "Ann Lee"})
		deal := call(t, "POST", base+"/deals", "", map[string]any{"title": "T", "person_id": p.body["data"].(map[string]any)["id"]})
		search := searchItems(call(t, "GET", base+"/persons/search?term=a@x.example&fields=email&exact_match=true", "", nil))
		listed := dataList(call(t, "GET", base+"/persons", "", nil))
		st := srv.State()
		data, _ := get.body["data"].(map[string]any)
		deleted, _ := data["is_deleted"].(bool)
		switch {
		case soft && (get.status != 200 || !deleted || patch.status != 400):
			t.Fatalf("in the trash: GET %d %s, PATCH %d", get.status, get.raw, patch.status)
		case !soft && (get.status != 404 || patch.status != 404):
			t.Fatalf("gone: GET %d, PATCH %d", get.status, patch.status)
		case deal.status != 400 || len(search) != 0 || len(listed) != 0 || len(st.Contacts) != 0:
			t.Fatalf("soft %v: deal %d, search %v, list %v, state %v", soft, deal.status, search, listed, st.Contacts)
		}
	}
}

// TestPipedriveRateLimitFaultIsABurst429: the rate_limit fault plays
// Pipedrive's burst limit, the 2-second window full, so its 429 shows no
// room left in x-ratelimit-remaining. It showed the room the window really
// had (19 of 20), the signature of a spent daily token budget: the adapter
// paused for up to an hour with a "daily limit reached" alarm after one
// burst 429 in a trial.
func TestPipedriveRateLimitFaultIsABurst429(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, RateLimit: 20, SearchLimit: 10})
	srv.AddFault(crmfake.Fault{Path: "/api/v2/**", Action: crmfake.ActRateLimit, Uses: 2})
	for _, url := range []string{base + "/deals", base + "/persons/search?term=zz&exact_match=true"} {
		a := call(t, "GET", url, "", nil)
		if a.status != 429 || a.header.Get("X-Ratelimit-Remaining") != "0" || a.header.Get("X-Ratelimit-Limit") == "" {
			t.Fatalf("%s: %d, x-ratelimit-remaining %q limit %q; want a 429 with 0 left in the window", url, a.status,
				a.header.Get("X-Ratelimit-Remaining"), a.header.Get("X-Ratelimit-Limit"))
		}
		if a.body["success"] != false || a.body["error"] == nil {
			t.Fatalf("%s: body %s; want Pipedrive's error shape", url, a.raw)
		}
	}
	if a := call(t, "GET", base+"/deals", "", nil); a.status != 200 || a.header.Get("X-Ratelimit-Remaining") == "0" {
		t.Fatalf("after the fault: %d, remaining %q", a.status, a.header.Get("X-Ratelimit-Remaining"))
	}
}

// TestPipedriveSearchRefusedByTheGeneralWindowShowsItFull: a search
// refused because the general 2-second window is full answers with that
// window's headers, 0 left. It carried the search window's (room left),
// a spent daily token budget's signature, pausing the adapter for up to
// an hour on a burst 429.
func TestPipedriveSearchRefusedByTheGeneralWindowShowsItFull(t *testing.T) {
	_, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, RateLimit: 2, SearchLimit: 10})
	for range 2 {
		if a := call(t, "GET", base+"/deals", "", nil); a.status != 200 {
			t.Fatalf("within the window: %d", a.status)
		}
	}
	a := call(t, "GET", base+"/persons/search?term=zz&exact_match=true", "", nil)
	if a.status != 429 || a.header.Get("X-Ratelimit-Remaining") != "0" || a.header.Get("X-Ratelimit-Limit") != "2" {
		t.Fatalf("search past the general window: %d, limit %q remaining %q; want 429 with the general window full", a.status,
			a.header.Get("X-Ratelimit-Limit"), a.header.Get("X-Ratelimit-Remaining"))
	}
}

// TestPipedriveDailyRequestsCountWrites: Pipedrive's x-daily-requests-left
// counts the POST/PUT requests left today (v2's PATCH is v1's PUT); reads
// spend none of it and still answer once it is spent. The fake counted
// every request, reads too, so a trial with -daily ran out at a fraction
// of its writes and refused the reads.
func TestPipedriveDailyRequestsCountWrites(t *testing.T) {
	_, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, DailyLimit: 2})
	for range 5 {
		if a := call(t, "GET", base+"/persons", "", nil); a.status != 200 || a.header.Get("X-Daily-Requests-Left") != "2" {
			t.Fatalf("read: %d, x-daily-requests-left %q; want 200 and 2 left", a.status, a.header.Get("X-Daily-Requests-Left"))
		}
	}
	for i, want := range []string{"1", "0"} {
		a := call(t, "POST", base+"/persons", "", map[string]any{"name": fmt.Sprint("P", i)})
		if a.status != 200 || a.header.Get("X-Daily-Requests-Left") != want {
			t.Fatalf("write %d: %d, x-daily-requests-left %q; want 200 and %s left", i, a.status, a.header.Get("X-Daily-Requests-Left"), want)
		}
	}
	if a := call(t, "POST", base+"/persons", "", map[string]any{"name": "P3"}); a.status != 429 || a.header.Get("X-Daily-Requests-Left") != "0" {
		t.Fatalf("write past the day's: %d, left %q; want 429 and 0", a.status, a.header.Get("X-Daily-Requests-Left"))
	}
	if a := call(t, "GET", base+"/persons", "", nil); a.status != 200 {
		t.Fatalf("read once the writes are spent: %d; want 200", a.status)
	}
}
