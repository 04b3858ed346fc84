package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestSimultaneousDeliveriesAreOneEvent: a sender that retries before its
// first delivery was answered (its timeout shorter than a slow commit)
// sends the same body while the first is still being committed, as do
// several branches' hooks at once. Each delivery of one eaf_id, and of one
// Lokalebasen body, is one event, whichever of the group commits it lands
// in: one answered accepted, the others duplicate, all with its id.
func TestSimultaneousDeliveriesAreOneEvent(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	const n = 16
	for _, c := range []struct{ path, file string }{
		{"/hooks/eaf/" + eafToken, "eaf/email_lead.json"},
		{"/hooks/lokalebasen/" + lbToken, "lokalebasen/enquiry_created.json"},
	} {
		body := fixture(t, c.file)
		answers := make([]answer, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() { // no t.Fatal off the test's goroutine: r.post would
				defer wg.Done()
				resp, err := http.Post(r.url+c.path, "application/json", bytes.NewReader(body))
				if err != nil {
					errs[i] = err
					return
				}
				defer resp.Body.Close()
				answers[i].Code = resp.StatusCode
				errs[i] = json.NewDecoder(resp.Body).Decode(&answers[i])
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		accepted := 0
		for _, a := range answers {
			if a.Code != 200 || a.ID != answers[0].ID || (a.Status != "accepted" && a.Status != "duplicate") {
				t.Fatalf("%s: answers %+v", c.file, answers)
			}
			if a.Status == "accepted" {
				accepted++
			}
		}
		if accepted != 1 {
			t.Errorf("%s: %d answered accepted, want 1", c.file, accepted)
		}
	}
	evs, err := r.db.Events(context.Background(), sqlite.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Deliveries != n || evs[1].Deliveries != n {
		t.Fatalf("events %+v, want 2 of %d deliveries each", evs, n)
	}
}
