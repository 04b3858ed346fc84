package sender

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMaxDepthLimitIsTheParsers: with the maximum depth at MaxDepthLimit,
// a body nested that deep is parsed and one a level deeper is too deep,
// never invalid JSON: the limit is encoding/json's own. (Set past it, a
// body deeper than encoding/json takes was quarantined as invalid JSON.)
func TestMaxDepthLimitIsTheParsers(t *testing.T) {
	nested := func(n int) []byte {
		return []byte(`{"event_type":"x","a":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + "}")
	}
	if d := Decode(syncd.KindLokalebasen, nested(MaxDepthLimit), MaxDepthLimit); d.Reason != "" || d.Type != "x" {
		t.Errorf("nested %d deep: %q", MaxDepthLimit, d.Reason)
	}
	if d := Decode(syncd.KindLokalebasen, nested(MaxDepthLimit+1), MaxDepthLimit); d.Code != QuarantineTooDeep {
		t.Errorf("nested %d deep: %s, %q", MaxDepthLimit+1, d.Code, d.Reason)
	}
	if d := Decode(syncd.KindLokalebasen, nested(MaxDepthLimit+1), MaxDepthLimit+1); d.Code != QuarantineInvalidJSON {
		t.Errorf("past the limit, encoding/json no longer refuses %d levels: %s; raise MaxDepthLimit", MaxDepthLimit+1, d.Code)
	}
}
