package sender

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSameDeliveryTakesTheIDAsANumberForItsDigits: an Estate Agent Feeds
// body that gives eaf_id as a whole number says the same as one that gives
// the string of its digits (Key makes them one key); any other difference
// is still one, and a kind without a delivery id compares documents alone.
func TestSameDeliveryTakesTheIDAsANumberForItsDigits(t *testing.T) {
	for _, c := range []struct {
		kind syncd.Kind
		a, b string
		same bool
	}{
		{syncd.KindEAF, `{"eaf_type":"email_lead","eaf_id":"501","x":1}`, `{"eaf_id":501,"eaf_type":"email_lead","x":1}`, true},
		{syncd.KindEAF, `{"eaf_id": 501 ,"x":1}`, `{"eaf_id":501,"x":1}`, true},
		{syncd.KindEAF, `{"eaf_id":"501","x":1}`, `{"eaf_id":502,"x":1}`, false},
		{syncd.KindEAF, `{"eaf_id":"501","x":1}`, `{"eaf_id":501,"x":2}`, false},
		{syncd.KindEAF, `{"eaf_id":"501","x":1}`, `{"eaf_id":501.0,"x":1}`, false},
		{syncd.KindEAF, `{"eaf_id":"501","x":"1"}`, `{"eaf_id":501,"x":1}`, false},
		{syncd.KindEAF, `{"n":{"eaf_id":"501"}}`, `{"n":{"eaf_id":501}}`, false},
		{syncd.KindLokalebasen, `{"eaf_id":"501"}`, `{"eaf_id":501}`, false},
	} {
		if got := SameDelivery(c.kind, []byte(c.a), []byte(c.b)); got != c.same {
			t.Errorf("%s: %s and %s: same %v; want %v", c.kind, c.a, c.b, got, c.same)
		}
	}
}
