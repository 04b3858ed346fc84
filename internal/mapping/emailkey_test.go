package mapping

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestEmailKeyIsTheMappersKey: EmailKey, by which an upgrade rekeys what
// an older syncd stored, gives for an email the key the mapper gives a
// lead with it, for each CRM, whatever marks it was written with; and a
// key the mapper gave is its own EmailKey, so rekeying leaves it be.
func TestEmailKeyIsTheMappersKey(t *testing.T) {
	forms := []string{"jane@x.dk", "mailto:jane@x.dk", "MAILTO:Jane@X.dk", "jane\u00ad@x.dk", "jane@x.dk\u200b",
		"\u200ejane@x.dk", "Jane Holm <jane@x.dk>", "<jane@x.dk>", "jane@x.dk.", "a\u030age@møller.dk",
		"åge@xn--mller-vua.dk", "mailto:åge@MØLLER.dk"}
	for _, target := range []string{"hubspot", "pipedrive"} {
		r, err := Load(mappingsDir+"/"+target, target)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range forms {
			quoted, _ := json.Marshal(e)
			body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":"Jane Holm","contact_email":%s,"eaf_date":"2026-11-30T06:28:06+01:00"}`, quoted)
			res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", []byte(body)))
			if res.State != syncd.MapMapped || len(res.Ops) == 0 {
				t.Errorf("%s: %q not mapped: %+v", target, e, res)
				continue
			}
			key := res.Ops[0].Key
			if got := EmailKey(e, target); got != key {
				t.Errorf("%s: EmailKey(%q) = %q; the mapper's key is %q", target, e, got, key)
			}
			if got := EmailKey(key, target); got != key {
				t.Errorf("%s: EmailKey(%q) = %q; want it as it is", target, key, got)
			}
		}
	}
}
