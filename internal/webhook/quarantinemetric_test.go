package webhook_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestQuarantineCountedByReason: each quarantined delivery reaches the
// metrics with the kind of its fault (syncd_events_quarantined_total's
// reason label), which read "unspecified" for all of them.
func TestQuarantineCountedByReason(t *testing.T) {
	t.Parallel()
	obs := &rejections{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs; o.MaxDepth = 8 })
	for _, body := range []string{
		`{"eaf_type":"email_lead",`,
		"{\"eaf_type\":\"email_lead\",\"contact_name\":\"S\xf8ren\"}",
		`{"eaf_type":"x","a":` + strings.Repeat("[", 9) + strings.Repeat("]", 9) + "}",
		`[{"eaf_type":"email_lead"}]`,
		`{"eaf_type":"email_lead",`, // a retry of the first
	} {
		if a := r.post(t, "/hooks/eaf/"+eafToken, []byte(body)); a.Status != "quarantined" {
			t.Fatalf("%q: %+v", body, a)
		}
	}
	want := map[string]int{"eaf quarantined invalid_json": 2, "eaf quarantined not_utf8": 1,
		"eaf quarantined too_deep": 1, "eaf quarantined not_object": 1}
	if !maps.Equal(obs.n, want) {
		t.Fatalf("counted %v, want %v", obs.n, want)
	}
}
