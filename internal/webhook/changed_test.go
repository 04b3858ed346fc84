package webhook_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// TestSameEAFIDAnotherBodyIsToldToTheOperator: Estate Agent Feeds sends an
// email_lead again under the same eaf_id with a field corrected. It is
// answered as the duplicate it is by its id (the sender counts only 200 as
// success; the first lead is mapped already), but the operator is told,
// with a warning that names the event and no personal data, and a count;
// it used to be a duplicate without a word. The later body is kept in the
// quarantine for a person to read, and the warning names it (it used to be
// lost: nobody could see what the sender corrected). The same body again,
// or the same written another way, is a plain duplicate.
func TestSameEAFIDAnotherBodyIsToldToTheOperator(t *testing.T) {
	t.Parallel()
	obs := &outcomes{n: map[string]int{}}
	r := newRig(t, func(o *webhook.Options) { o.Observer = obs; o.MaxBodyBytes = 1 << 16 })
	first := fixture(t, "eaf/email_lead.json")
	a := r.post(t, "/hooks/eaf/"+eafToken, first)
	if a.Status != "accepted" {
		t.Fatalf("first: %+v", a)
	}
	reformatted := bytes.ReplaceAll(first, []byte(`", "`), []byte(`","`))
	corrected := bytes.Replace(first, []byte("+44(0)20 3870 4550"), []byte("+44(0)20 3870 4551"), 1)
	for _, body := range [][]byte{first, reformatted, corrected} {
		if d := r.post(t, "/hooks/eaf/"+eafToken, body); d.Code != 200 || d.Status != "duplicate" || d.ID != a.ID {
			t.Fatalf("again: %+v; want 200 duplicate of %s", d, a.ID)
		}
	}
	logs := r.log.String()
	var warns []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"level":"warn"`) {
			warns = append(warns, l)
		}
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "delivery changed") ||
		!strings.Contains(warns[0], `"event_id":`+a.ID) || !strings.Contains(warns[0], `"source":"eaf"`) {
		t.Fatalf("warnings %q; want one naming event %s", warns, a.ID)
	}
	for _, personal := range []string{"3870", "EAF Support", "support@"} {
		if strings.Contains(logs, personal) {
			t.Fatalf("the log holds %q:\n%s", personal, logs)
		}
	}
	qs, err := r.db.Quarantined(context.Background(), syncd.EventFilter{})
	if err != nil || len(qs) != 1 || !bytes.Equal(qs[0].Body, corrected) || qs[0].ResolvedEvent != 0 {
		t.Fatalf("quarantine %+v, %v; want the corrected body kept, unresolved", qs, err)
	}
	if !strings.Contains(warns[0], `"quarantine_id":`+strconv.FormatInt(qs[0].ID, 10)) ||
		!strings.Contains(warns[0], "syncd events show -quarantined") {
		t.Fatalf("warning %s; want it to name quarantined body %d", warns[0], qs[0].ID)
	}
	if obs.n["eaf changed"] != 1 || obs.n["eaf duplicate"] != 2 {
		t.Fatalf("observed %v; want 2 duplicates and 1 changed", obs.n)
	}
	id, _ := strconv.ParseInt(a.ID, 10, 64)
	if ev, _ := r.db.Event(context.Background(), id); ev.Deliveries != 4 || !bytes.Equal(ev.Body, first) {
		t.Fatalf("event: %d deliveries, first body kept %v", ev.Deliveries, bytes.Equal(ev.Body, first))
	}
}
