package webhook_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBlankEAFIDIsNoID: an eaf_id of white space or of characters no one
// sees alone (" ", a tab, a no-break space, a zero-width space) names no
// submission, as an empty one does not: each lead sent with one is a lead
// of its own, keyed by its body's hash, and reaches the CRM. Such an id
// was the key of the first lead that had it, and every later lead with it
// was answered as its duplicate and kept in the quarantine as a changed
// delivery, never sent to the CRM. The same body sent again is still a
// duplicate.
func TestBlankEAFIDIsNoID(t *testing.T) {
	t.Parallel()
	r := newLiveRig(t)
	post := func(body string) string {
		t.Helper()
		resp, err := http.Post("http://"+r.addr+"/hooks/eaf/"+eafToken, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", body, resp.StatusCode, b)
		}
		return string(b)
	}
	for i, id := range []string{`" "`, `"\t"`, `"\u00a0"`, `"\u200b"`, `" \u2060 "`} {
		for n := 1; n <= 2; n++ {
			body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":%s,"contact_email":"lead%d.%d@example.com"}`, id, i, n)
			if got := post(body); !strings.Contains(got, `"status":"accepted"`) {
				t.Errorf("lead %d with eaf_id %s: %s; want accepted, a lead of its own", n, id, got)
			}
			if got := post(body); !strings.Contains(got, `"status":"duplicate"`) {
				t.Errorf("lead %d with eaf_id %s sent again: %s; want duplicate", n, id, got)
			}
		}
	}
	if qs := r.quarantined(t); len(qs) != 0 {
		t.Errorf("%d bodies quarantined, the first: %s", len(qs), qs[0].Reason)
	}
}
