package webhook

import (
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReceiptAsEncodingJSON checks that the answer to a stored delivery,
// written without a map, is byte for byte and header for header what
// writeJSON wrote from the map of its id and status, for every outcome
// and for an outcome that would need escaping.
func TestReceiptAsEncodingJSON(t *testing.T) {
	t.Parallel()
	outcomes := []syncd.Outcome{syncd.Accepted, syncd.Duplicate, syncd.Quarantined, "", `odd "one"`, "Å"}
	for _, o := range outcomes {
		for _, id := range []int64{0, 1, 42, -7, 1<<63 - 1} {
			got := httptest.NewRecorder()
			writeReceipt(got, syncd.Receipt{Outcome: o, ID: id})
			name := "event_id"
			if o == syncd.Quarantined {
				name = "quarantine_id"
			}
			want := httptest.NewRecorder()
			writeJSON(want, 200, map[string]string{"status": string(o), name: strconv.FormatInt(id, 10)})
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Errorf("%q %d: answered %d %q, want %d %q", o, id, got.Code, got.Body, want.Code, want.Body)
			}
			for _, h := range []string{"Content-Type", "Cache-Control"} {
				if g, w := got.Header().Values(h), want.Header().Values(h); len(g) != 1 || len(w) != 1 || g[0] != w[0] {
					t.Errorf("%q %d: header %s %q, want %q", o, id, h, g, w)
				}
			}
		}
	}
}
