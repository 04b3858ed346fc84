package crmfake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)} }

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func call(t *testing.T, method, url, token string, body any) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func start(t *testing.T, o crmfake.Options) (*crmfake.Server, string) {
	t.Helper()
	srv := crmfake.New(o)
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	return srv, base
}

func contact(email string) map[string]any {
	return map[string]any{"properties": map[string]string{"email": email}}
}

func TestAuth(t *testing.T) {
	_, base := start(t, crmfake.Options{Token: "good"})
	a := call(t, "POST", base+"/crm/v3/objects/contacts", "bad", contact("a@x.com"))
	if a.status != 401 || a.body["category"] != "INVALID_AUTHENTICATION" {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/crm/v3/objects/contacts", "good", contact("a@x.com")); a.status != 201 {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	_, pd := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "good"})
	req, _ := http.NewRequest("GET", pd+"/persons/search?term=a@x.com&fields=email&exact_match=true", nil)
	req.Header.Set("x-api-token", "good")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pipedrive token: %v %v", resp, err)
	}
	resp.Body.Close()
	if a := call(t, "GET", pd+"/persons/search?term=a@x.com", "", nil); a.status != 401 || a.body["success"] != false {
		t.Fatalf("%d %s", a.status, a.raw)
	}
}

func TestRollingWindowAndHeaders(t *testing.T) {
	c := newClock()
	_, base := start(t, crmfake.Options{RateLimit: 3, RateInterval: 10 * time.Second, DailyLimit: 5, Now: c.Now})
	for i, want := range []string{"2", "1", "0"} {
		a := call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil)
		if a.header.Get("X-HubSpot-RateLimit-Remaining") != want || a.header.Get("X-HubSpot-RateLimit-Max") != "3" ||
			a.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" {
			t.Fatalf("request %d headers %v", i, a.header)
		}
		c.Advance(4 * time.Second)
	}
	// t=12s: the first request (t=0) has left the window, the others not.
	if a := call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil); a.status != 404 {
		t.Fatalf("after the first left the window: %d", a.status)
	}
	a := call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil)
	if a.status != 429 || a.body["policyName"] != "TEN_SECONDLY_ROLLING" || a.body["errorType"] != "RATE_LIMIT" {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	c.Advance(10 * time.Second)
	call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil)
	a = call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil)
	if a.status != 429 || a.body["policyName"] != "DAILY" || a.header.Get("X-HubSpot-RateLimit-Daily-Remaining") != "0" {
		t.Fatalf("daily: %d %s %v", a.status, a.raw, a.header)
	}
	c.Advance(24 * time.Hour)
	if a := call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil); a.status != 404 {
		t.Fatalf("next day: %d", a.status)
	}
}

func TestBatchLimitsAndDuplicates(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	inputs := func(n int) []map[string]any {
		var in []map[string]any
		for i := range n {
			in = append(in, map[string]any{"id": fmt.Sprintf("p%d@x.com", i), "idProperty": "email", "properties": map[string]string{}})
		}
		return in
	}
	url := base + "/crm/v3/objects/contacts/batch/upsert"
	if a := call(t, "POST", url, "", map[string]any{"inputs": inputs(101)}); a.status != 400 {
		t.Fatalf("101 inputs: %d", a.status)
	}
	dup := append(inputs(2), map[string]any{"id": "P1@X.com", "idProperty": "email"})
	if a := call(t, "POST", url, "", map[string]any{"inputs": dup}); a.status != 400 || !strings.Contains(a.raw, "Duplicate IDs") {
		t.Fatalf("duplicate ids: %d %s", a.status, a.raw)
	}
	bad := append(inputs(2), map[string]any{"id": "nope", "idProperty": "email"})
	if a := call(t, "POST", url, "", map[string]any{"inputs": bad}); a.status != 400 || a.body["category"] != "VALIDATION_ERROR" {
		t.Fatalf("invalid input: %d %s", a.status, a.raw)
	}
	if n := len(srv.State().Contacts); n != 0 {
		t.Fatalf("a failed batch wrote %d contacts", n)
	}
	a := call(t, "POST", url, "", map[string]any{"inputs": inputs(100)})
	if a.status != 200 || len(a.body["results"].([]any)) != 100 {
		t.Fatalf("100 inputs: %d", a.status)
	}
	first := a.body["results"].([]any)[0].(map[string]any)
	if first["new"] != true {
		t.Fatalf("first upsert not new: %v", first)
	}
	a = call(t, "POST", url, "", map[string]any{"inputs": inputs(3)})
	for _, r := range a.body["results"].([]any) {
		if r.(map[string]any)["new"] != false {
			t.Fatalf("second upsert new: %v", r)
		}
	}
	if n := len(srv.State().Contacts); n != 100 {
		t.Fatalf("%d contacts", n)
	}
}

func TestDuplicateEmail409AndSearchLag(t *testing.T) {
	c := newClock()
	_, base := start(t, crmfake.Options{SearchLag: 5 * time.Second, Now: c.Now})
	a := call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("Jane@X.com"))
	id := a.body["id"].(string)
	search := map[string]any{"filterGroups": []any{map[string]any{"filters": []any{
		map[string]string{"propertyName": "email", "operator": "EQ", "value": "jane@x.com"}}}}}
	if a := call(t, "POST", base+"/crm/v3/objects/contacts/search", "", search); a.body["total"] != 0.0 {
		t.Fatalf("found during lag: %s", a.raw)
	}
	// Search missed it, but a create still conflicts, naming the id in the message.
	a = call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("jane@x.com"))
	if a.status != 409 || a.body["category"] != "CONFLICT" || a.body["message"] != "Contact already exists. Existing ID: "+id {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	c.Advance(5 * time.Second)
	if a := call(t, "POST", base+"/crm/v3/objects/contacts/search", "", search); a.body["total"] != 1.0 {
		t.Fatalf("not found after lag: %s", a.raw)
	}
}

func TestAdminFaultsStateRequestsReset(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	faults := `[{"method":"POST","path":"/crm/v3/objects/*","nth":2,"uses":1,"action":"error","status":500,"html":true},
		{"path":"/crm/v3/objects/contacts/*","action":"slow","delay":"30ms"}]`
	resp, err := http.Post(base+"/__admin/faults", "application/json", strings.NewReader(faults))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("add faults: %v %v", resp, err)
	}
	resp.Body.Close()
	statuses := []int{}
	for i := range 3 {
		statuses = append(statuses, call(t, "POST", base+"/crm/v3/objects/contacts", "", contact(fmt.Sprintf("a%d@x.com", i))).status)
	}
	if fmt.Sprint(statuses) != "[201 500 201]" {
		t.Fatalf("statuses %v", statuses)
	}
	start := time.Now()
	call(t, "GET", base+"/crm/v3/objects/contacts/1001", "", nil)
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("slow fault did not delay")
	}
	var st crmfake.State
	if a := call(t, "GET", base+"/__admin/state", "", nil); json.Unmarshal([]byte(a.raw), &st) != nil || len(st.Contacts) != 2 {
		t.Fatalf("state %s", a.raw)
	}
	var log []crmfake.LoggedRequest
	if a := call(t, "GET", base+"/__admin/requests", "", nil); json.Unmarshal([]byte(a.raw), &log) != nil || len(log) != 4 || log[1].Status != 500 || log[1].Fault != "error" {
		t.Fatalf("requests %s", a.raw)
	}
	var fs []crmfake.FaultStatus
	if a := call(t, "GET", base+"/__admin/faults", "", nil); json.Unmarshal([]byte(a.raw), &fs) != nil || fs[0].Fired != 1 || fs[0].Seen != 3 || fs[1].Fault.Delay != 30*time.Millisecond {
		t.Fatalf("faults %s", a.raw)
	}
	call(t, "POST", base+"/__admin/reset", "", nil)
	if st := srv.State(); len(st.Contacts) != 0 || len(srv.Faults()) != 0 || len(srv.Requests()) != 0 {
		t.Fatal("reset left something")
	}
}

func TestApplyThenDropWritesButAnswersNothing(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	srv.AddFault(crmfake.Fault{Action: crmfake.ActApplyThenDrop, Uses: 1})
	req, _ := http.NewRequest("POST", base+"/crm/v3/objects/contacts", strings.NewReader(`{"properties":{"email":"d@x.com"}}`))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer: %d", resp.StatusCode)
	}
	if st := srv.State(); len(st.ContactsByEmail["d@x.com"]) != 1 {
		t.Fatalf("write not applied: %+v", st)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Status != 0 {
		t.Fatalf("log %+v", r)
	}
}

func TestProbabilityFaultIsSeeded(t *testing.T) {
	fired := func() int {
		srv, base := start(t, crmfake.Options{Seed: 42})
		srv.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503, Probability: 0.25})
		n := 0
		for range 200 {
			if call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil).status == 503 {
				n++
			}
		}
		return n
	}
	a, b := fired(), fired()
	if a != b || a < 25 || a > 80 {
		t.Fatalf("fired %d and %d times of 200 at p=0.25", a, b)
	}
}

func TestPipedriveEdgeBlocksAfterRepeated429s(t *testing.T) {
	c := newClock()
	_, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, RateLimit: 1, RateInterval: 2 * time.Second, EdgeBlockAfter: 2, Now: c.Now})
	statuses := []int{}
	for range 4 {
		statuses = append(statuses, call(t, "GET", base+"/deals", "", nil).status)
	}
	if fmt.Sprint(statuses) != "[200 429 429 403]" {
		t.Fatalf("statuses %v", statuses)
	}
	c.Advance(3 * time.Second)
	if a := call(t, "GET", base+"/deals", "", nil); a.status != 200 || a.header.Get("X-Ratelimit-Limit") != "1" {
		t.Fatalf("after a quiet window: %d %v", a.status, a.header)
	}
}

func TestPipedriveNoUniqueness(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive})
	p := map[string]any{"name": "Jane", "emails": []map[string]any{{"value": "jane@x.com", "primary": true}}}
	call(t, "POST", base+"/persons", "", p)
	a := call(t, "POST", base+"/persons", "", p)
	if a.status != 200 || a.body["success"] != true {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	if d := srv.State().Duplicates(); len(d) != 1 {
		t.Fatalf("duplicates %v", d)
	}
	if a := call(t, "POST", base+"/deals", "", map[string]any{"person_id": 1}); a.status != 400 || a.body["success"] != false {
		t.Fatalf("deal without title: %d %s", a.status, a.raw)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	srv := crmfake.New(crmfake.Options{Kind: crmfake.KindPipedrive})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, "127.0.0.1:0") }()
	deadline := time.Now().Add(2 * time.Second)
	for srv.BaseURL() == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if a := call(t, "GET", srv.BaseURL()+"/deals", "", nil); a.status != 200 || a.body["success"] != true {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// TestDroppedRequestIsLoggedBeforeTheConnectionCloses: a client that sees
// its connection dropped may read the request log at once, and must find
// the request there. Other readers of the log keep its lock busy, so that a
// server logging after closing is caught, not once in 500 runs.
func TestDroppedRequestIsLoggedBeforeTheConnectionCloses(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	srv.AddFault(crmfake.Fault{Action: crmfake.ActDrop})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					srv.Requests()
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 1; i <= 200; i++ {
		req, _ := http.NewRequest("GET", base+"/crm/v3/objects/contacts/1", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("got an answer: %d", resp.StatusCode)
		}
		if n := len(srv.Requests()); n != i {
			t.Fatalf("drop %d: the client saw the connection close before the request was logged (%d logged)", i, n)
		}
	}
}

// TestHubSpotBurstLimitIsPerAppDailyPerAccount: HubSpot counts the
// 10-second burst per app (private app token) and the daily limit per
// account (docs/crm-contracts.md, "HubSpot: account details, time zone,
// limits"). Another integration's requests (another token) leave syncd's
// burst window alone, its -Remaining is its own, and they spend the
// account's daily limit for both. (The fake counted the burst across
// every token: another integration at its own limit made syncd's every
// call a 429 that HubSpot would have answered.)
func TestHubSpotBurstLimitIsPerAppDailyPerAccount(t *testing.T) {
	c := newClock()
	_, base := start(t, crmfake.Options{RateLimit: 3, RateInterval: 10 * time.Second, SecondlyLimit: 3, DailyLimit: 7, Now: c.Now})
	get := func(token string) answer { return call(t, "GET", base+"/crm/v3/objects/contacts/1", token, nil) }
	for range 3 {
		get("other-integration")
	}
	if a := get("other-integration"); a.status != 429 || a.body["policyName"] != "TEN_SECONDLY_ROLLING" {
		t.Fatalf("the other integration's 4th request in 10 s: %d %s", a.status, a.raw)
	}
	a := get("syncd")
	if a.status != 404 || a.header.Get("X-HubSpot-RateLimit-Remaining") != "2" || a.header.Get("X-HubSpot-RateLimit-Secondly-Remaining") != "2" {
		t.Fatalf("syncd's first request beside the other integration at its limit: %d %s %v", a.status, a.raw, a.header)
	}
	if d := a.header.Get("X-HubSpot-RateLimit-Daily-Remaining"); d != "3" {
		t.Fatalf("daily remaining %q after 4 requests of the account's 7, want 3", d)
	}
	c.Advance(11 * time.Second)
	for range 3 {
		get("other-integration")
	}
	if a := get("syncd"); a.status != 429 || a.body["policyName"] != "DAILY" {
		t.Fatalf("the account's daily limit spent by the other integration: %d %s", a.status, a.raw)
	}
}

// TestHubSpotEmailEditedByAPerson: a salesperson's edit of a contact's
// email (POST /__admin/edit) moves what finds it. The old address, dropped,
// finds nothing (what HubSpot does with a replaced primary email is not in
// its documentation: the fake takes the reading that keeps nothing); kept
// in hs_additional_emails, it finds the contact as the primary one does,
// by read and by upsert. Before, an edit of hs_additional_emails found
// nothing: only a merge made secondary emails find their record.
func TestHubSpotEmailEditedByAPerson(t *testing.T) {
	_, base := start(t, crmfake.Options{})
	id := call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("jane@x.com")).body["id"].(string)
	edit := func(props map[string]string) {
		t.Helper()
		if a := call(t, "POST", base+"/__admin/edit/contacts/"+id, "", map[string]any{"properties": props}); a.status != 200 {
			t.Fatalf("edit: %d %s", a.status, a.raw)
		}
	}
	read := func(email string) answer {
		t.Helper()
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/read", "",
			map[string]any{"idProperty": "email", "inputs": []map[string]string{{"id": email}}})
	}
	edit(map[string]string{"email": "jane.new@y.org"})
	if a := read("jane@x.com"); a.status != 207 {
		t.Fatalf("old address dropped: %d %s", a.status, a.raw)
	}
	edit(map[string]string{"hs_additional_emails": "Jane@X.com"})
	for _, e := range []string{"jane@x.com", "jane.new@y.org"} {
		if a := read(e); a.status != 200 || !strings.Contains(a.raw, `"id":"`+id+`"`) {
			t.Fatalf("read by %s: %d %s", e, a.status, a.raw)
		}
	}
	up := call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "", map[string]any{"inputs": []map[string]any{
		{"id": "jane@x.com", "idProperty": "email", "properties": map[string]string{"company": "Bakers"}}}})
	if up.status != 200 || !strings.Contains(up.raw, `"id":"`+id+`"`) || !strings.Contains(up.raw, `"email":"jane.new@y.org"`) {
		t.Fatalf("upsert by the secondary address: %d %s", up.status, up.raw)
	}
	edit(map[string]string{"hs_additional_emails": ""})
	if a := read("jane@x.com"); a.status != 207 {
		t.Fatalf("secondary address removed: %d %s", a.status, a.raw)
	}
}

// TestPartialAssociationAnswersItsCategory: the partial fault, added over
// /__admin/faults, on the batch association leaves the last input
// unassociated with a 207 whose error has the fault's category and message
// and names the deal, and associates the others.
func TestPartialAssociationAnswersItsCategory(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	c := srv.AddContact(crmfake.Record{Email: "a@x.com", Properties: map[string]string{"email": "a@x.com"}})
	d1, d2 := srv.AddDeal(crmfake.Record{LeadID: "l1"}), srv.AddDeal(crmfake.Record{LeadID: "l2"})
	fault := `{"path":"/crm/v4/associations/deals/contacts/batch/associate/default","action":"partial","uses":1,
		"category":"VALIDATION_ERROR","message":"association limit reached"}`
	if a := call(t, "POST", base+"/__admin/faults", "", json.RawMessage(fault)); a.status != 200 {
		t.Fatalf("add fault: %d %s", a.status, a.raw)
	}
	in := map[string]any{"inputs": []map[string]any{
		{"from": map[string]string{"id": d1}, "to": map[string]string{"id": c}},
		{"from": map[string]string{"id": d2}, "to": map[string]string{"id": c}},
	}}
	a := call(t, "POST", base+"/crm/v4/associations/deals/contacts/batch/associate/default", "", in)
	var ans struct {
		Results []json.RawMessage
		Errors  []struct {
			Category, Message string
			Context           map[string][]string
		}
	}
	if a.status != 207 || json.Unmarshal([]byte(a.raw), &ans) != nil || len(ans.Results) != 1 || len(ans.Errors) != 1 {
		t.Fatalf("answer %d %s", a.status, a.raw)
	}
	if e := ans.Errors[0]; e.Category != "VALIDATION_ERROR" || e.Message != "association limit reached" || fmt.Sprint(e.Context["ids"]) != "["+d2+"]" {
		t.Fatalf("error %+v", e)
	}
	for _, d := range srv.State().Deals {
		if got := len(d.ContactIDs); (d.ID == d1) != (got == 1) {
			t.Errorf("deal %s has %d contacts; want only %s associated", d.ID, got, d1)
		}
	}
}

// TestAdminEditOfAnUnknownKeyIsRefused: an edit posted to
// /__admin/edit/contacts/ID with a key misspelt ("emials") answered ok and
// edited nothing; it is refused, 400, naming the key.
func TestAdminEditOfAnUnknownKeyIsRefused(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	if a := call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("a@x.com")); a.status != 201 {
		t.Fatalf("contact create: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/__admin/edit/contacts/1001", "", json.RawMessage(`{"emials":["b@x.com"]}`)); a.status != 400 ||
		!strings.Contains(a.raw, `unknown field \"emials\"`) {
		t.Errorf("an edit with a misspelt key: %d %s (want 400 naming it)", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/__admin/edit/contacts/1001", "", json.RawMessage(`{"emails":["b@x.com"]}`)); a.status != 200 {
		t.Errorf("an edit spelt right: %d %s", a.status, a.raw)
	}
	if st := srv.State(); st.Contacts[0].Email != "b@x.com" {
		t.Errorf("the edit spelt right did not change the contact: %+v", st.Contacts[0])
	}
}

// TestAdminFaultOfAnUnknownKeyOrActionIsRefused: a fault posted to
// /__admin/faults with a key misspelt ("pth" for "path") or an action
// misspelt ("eror") was added ({"added":1}) as a rule on every path
// answering 503, so the whole stand-in CRM failed where the operator meant
// one path to. Both are refused (400, saying which), none of the list is
// added, and the CRM answers as before; a rule spelt right is added.
func TestAdminFaultOfAnUnknownKeyOrActionIsRefused(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	for body, want := range map[string]string{
		`{"action":"error","status":400,"pth":"/crm/v3/objects/deals"}`:                      `unknown field \"pth\"`,
		`[{"action":"slow","delay":"1ms"},{"action":"eror","path":"/crm/v3/objects/deals"}]`: `fault 2: action \"eror\" is none of error, rate_limit`,
	} {
		if a := call(t, "POST", base+"/__admin/faults", "", json.RawMessage(body)); a.status != 400 || !strings.Contains(a.raw, want) {
			t.Errorf("POST %s: %d %s (want 400 with %s)", body, a.status, a.raw, want)
		}
	}
	if n := len(srv.Faults()); n != 0 {
		t.Fatalf("%d fault(s) added from refused posts", n)
	}
	if a := call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("a@x.com")); a.status != 201 {
		t.Fatalf("contact create with no fault: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/__admin/faults", "", json.RawMessage(`{"action":"error","status":400,"path":"/crm/v3/objects/contacts"}`)); a.status != 200 {
		t.Fatalf("a right fault: %d %s", a.status, a.raw)
	}
	if a := call(t, "POST", base+"/crm/v3/objects/contacts", "", contact("b@x.com")); a.status != 400 {
		t.Fatalf("contact create under a 400 fault: %d %s", a.status, a.raw)
	}
}

// TestHubSpotSearchAnswersCarryNoRateHeaders: HubSpot's search answers
// carry none of its rate-limit headers (docs/crm-contracts.md), its other
// answers do; a fake that sent them on search answers let a client read a
// window it would not see from HubSpot.
func TestHubSpotSearchAnswersCarryNoRateHeaders(t *testing.T) {
	_, base := start(t, crmfake.Options{RateLimit: 100, DailyLimit: 1000, SecondlyLimit: 10, SearchLimit: 1})
	search := map[string]any{"filterGroups": []any{}, "limit": 1}
	for i, want := range []int{200, 429} {
		a := call(t, "POST", base+"/crm/v3/objects/contacts/search", "", search)
		if a.status != want {
			t.Fatalf("search %d: %d %s", i, a.status, a.raw)
		}
		for k := range a.header {
			if strings.HasPrefix(strings.ToLower(k), "x-hubspot-ratelimit") {
				t.Errorf("search %d (%d) carries %s: %v", i, a.status, k, a.header.Get(k))
			}
		}
	}
	if a := call(t, "GET", base+"/crm/v3/objects/contacts/1", "", nil); a.header.Get("X-HubSpot-RateLimit-Max") != "100" {
		t.Errorf("another answer without the window's headers: %v", a.header)
	}
}

// TestBatchUpsertOfANewContactNeedsAName: a contact is created only with
// an email, a first or a last name, also by a batch upsert on a unique
// property; an update by it needs none.
func TestBatchUpsertOfANewContactNeedsAName(t *testing.T) {
	_, base := start(t, crmfake.Options{})
	upsert := func(props map[string]string) answer {
		props["syncd_contact_key"] = "+4520123456"
		return call(t, "POST", base+"/crm/v3/objects/contacts/batch/upsert", "", map[string]any{"inputs": []any{
			map[string]any{"id": "+4520123456", "idProperty": "syncd_contact_key", "properties": props}}})
	}
	if a := upsert(map[string]string{"phone": "+4520123456"}); a.status != 400 || a.body["category"] != "VALIDATION_ERROR" {
		t.Fatalf("a new contact without a name: %d %s", a.status, a.raw)
	}
	if a := upsert(map[string]string{"phone": "+4520123456", "lastname": "+4520123456"}); a.status != 200 {
		t.Fatalf("a new contact with a last name: %d %s", a.status, a.raw)
	}
	if a := upsert(map[string]string{"phone": "+4520123457"}); a.status != 200 {
		t.Fatalf("an update without a name: %d %s", a.status, a.raw)
	}
}

// TestHubSpotOwnersComeInPages: GET /crm/v3/owners answers a page (limit,
// default 100) and names the next one in paging.next.after.
func TestHubSpotOwnersComeInPages(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	var ids []string
	for i := range 250 {
		ids = append(ids, fmt.Sprint(7000+i))
	}
	srv.SetOwners(ids...)
	seen, url := 0, base+"/crm/v3/owners"
	for page := 0; ; page++ {
		a := call(t, "GET", url, "", nil)
		if a.status != 200 || page > 3 {
			t.Fatalf("page %d: %d %s", page, a.status, a.raw)
		}
		n := len(a.body["results"].([]any))
		if page == 0 && n != 100 {
			t.Fatalf("first page: %d owners, not the default limit's 100", n)
		}
		seen += n
		paging, _ := a.body["paging"].(map[string]any)
		next, _ := paging["next"].(map[string]any)
		if next == nil {
			break
		}
		url = base + "/crm/v3/owners?after=" + next["after"].(string)
	}
	if seen != 250 {
		t.Fatalf("%d owners over the pages of 250", seen)
	}
}

// TestHubSpotDeactivatedOwnerIsArchived: a deactivated user's owner leaves
// GET /crm/v3/owners and the options of hubspot_owner_id, and is listed by
// ?archived=true alone, archived, its userId null (HubSpot's owners guide).
func TestHubSpotDeactivatedOwnerIsArchived(t *testing.T) {
	srv, base := start(t, crmfake.Options{})
	if !srv.DeactivateOwner("102") || srv.DeactivateOwner("999") {
		t.Fatal("DeactivateOwner: 102 is an owner, 999 none")
	}
	ids := func(q string) []string {
		t.Helper()
		a := call(t, "GET", base+"/crm/v3/owners"+q, "", nil)
		if a.status != 200 {
			t.Fatalf("owners%s: %d %s", q, a.status, a.raw)
		}
		var out []string
		for _, r := range a.body["results"].([]any) {
			o := r.(map[string]any)
			if o["archived"] != (q != "") || (q != "" && o["userId"] != nil) {
				t.Errorf("owners%s: %v", q, o)
			}
			out = append(out, o["id"].(string))
		}
		return out
	}
	if got := ids(""); fmt.Sprint(got) != "[101]" {
		t.Errorf("active owners %v, want [101]", got)
	}
	if got := ids("?archived=true"); fmt.Sprint(got) != "[102]" {
		t.Errorf("archived owners %v, want [102]", got)
	}
	var values []string
	for _, o := range srv.Properties("deals")["hubspot_owner_id"].Options {
		values = append(values, o.Value)
	}
	if fmt.Sprint(values) != "[101]" {
		t.Errorf("hubspot_owner_id options %v, want the active owner's alone", values)
	}
}
