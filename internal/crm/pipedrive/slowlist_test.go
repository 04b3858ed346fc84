package pipedrive_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// lateLists delivers the answers of the recent-records list (sort_by=
// add_time) hold late while hold is set: read at once, handed over
// later, as a loaded machine or network would.
type lateLists struct {
	base http.RoundTripper
	hold atomic.Int64 // nanoseconds
}

func (l *lateLists) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(r)
	d := time.Duration(l.hold.Load())
	if err != nil || d == 0 || !strings.Contains(r.URL.RawQuery, "sort_by=add_time") {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	time.Sleep(d)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// TestSlowListAnswerProvesNothing: a lost create's record is not yet in
// the lagging list when the list is asked for, and the answer arrives so
// late that, by then, the list would have had to show it. The answer
// describes the list as it was when asked, so it must not prove the
// record absent: the create waits instead of being repeated.
func TestSlowListAnswerProvesNothing(t *testing.T) {
	t.Parallel()
	lt := &lateLists{base: cleanhttp.DefaultPooledTransport()}
	srv, a, _ := setup(t, crmfake.Options{SearchLag: time.Minute, ListLag: 300 * time.Millisecond},
		pipedrive.Options{Settle: 10 * time.Millisecond, HTTP: crm.Options{Timeout: 100 * time.Millisecond, Transport: lt}})
	ctx := context.Background()
	person := func(email string) []syncd.Contact {
		return []syncd.Contact{{Key: email, Email: email, Properties: map[string]string{"name": "P"}}}
	}
	if r := a.UpsertContacts(ctx, person("first@example.com"))[0]; r.Err != nil {
		t.Fatal(r.Err)
	}
	time.Sleep(350 * time.Millisecond) // the first person is listed: the list shows its lag
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/api/v2/persons", Action: crmfake.ActApplyThenDrop, Uses: 1})
	lost := person("lost@example.com")
	if r := a.UpsertContacts(ctx, lost)[0]; r.Err == nil {
		t.Fatal("the create's answer was not lost")
	}
	time.Sleep(20 * time.Millisecond) // past the settle time; the record is not listed yet
	if r := a.UpsertContacts(ctx, lost)[0]; r.Err == nil {
		t.Fatalf("found a record the list cannot show yet: %+v", r)
	}
	lt.hold.Store(int64(3 * time.Second)) // asked before the record is listed, answered after it must be
	r := a.UpsertContacts(ctx, lost)[0]
	if d := srv.State().Duplicates(); len(d) > 0 {
		t.Fatalf("a late answer from a lagging list made a second person: %v (result %+v)", d, r)
	}
	if n := srv.CountRequests("POST", "/api/v2/persons", 0); n != 2 {
		t.Fatalf("%d person creates; want 2 (the first person, the lost one)", n)
	}
}
