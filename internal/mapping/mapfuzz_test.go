package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzMapEvent maps arbitrary bodies a sender's decoder accepts through the
// shipped mappings of both CRMs (seeds: the webhook fixtures, plus
// testdata/fuzz/FuzzMapEvent). Mapping must never panic and must give
// either operations whose every value the CRM takes for its shape (valid
// UTF-8 without NUL or other control characters, a plausible email, a value of a declared type the CRM
// takes), or a state with a reason an operator reads.
func FuzzMapEvent(f *testing.F) {
	kinds := []syncd.Kind{syncd.KindLokalebasen, syncd.KindEAF}
	for path, kind := range examples(f) {
		body, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for i, k := range kinds {
			if k == kind {
				f.Add(uint8(i), body)
			}
		}
	}
	rules := shippedRules(f)
	f.Fuzz(func(t *testing.T, k uint8, body []byte) {
		kind := kinds[int(k)%len(kinds)]
		ev, err := EventFromBody(kind, string(kind), "", body)
		if err != nil || ev.MapState == syncd.MapUnrecognised {
			return // intake keeps it, unmapped: not this target's concern
		}
		ev.ID = 42
		for target, r := range rules {
			checkMapped(t, target, r, r.Map(ev))
		}
	})
}

// shippedRules loads the shipped mappings of each CRM, by target.
func shippedRules(t testing.TB) map[string]*Rules {
	t.Helper()
	rules := map[string]*Rules{}
	for _, target := range targets {
		r, err := Load(filepath.Join(mappingsDir, target), target)
		if err != nil {
			t.Fatalf("load %s: %v", target, err)
		}
		rules[target] = r
	}
	return rules
}

// checkMapped fails t when res is neither operations a CRM takes nor a
// state with its reason.
func checkMapped(t *testing.T, target string, r *Rules, res Result) {
	t.Helper()
	if res.State != syncd.MapMapped {
		if res.Reason == "" || len(res.Ops) > 0 {
			t.Fatalf("%s: state %s with reason %q and %d operations", target, res.State, res.Reason, len(res.Ops))
		}
		return
	}
	if len(res.Ops) == 0 {
		t.Fatalf("%s: mapped with no operations", target)
	}
	for _, op := range res.Ops {
		for _, s := range []string{op.Key, op.ContactKey} {
			if why := badText(s); why != "" {
				t.Fatalf("%s: %s key %q: %s", target, op.Kind, s, why)
			}
		}
		for name, v := range op.Properties {
			if why := badText(name + v); why != "" {
				t.Fatalf("%s: %s property %s %q: %s", target, op.Kind, name, v, why)
			}
			if name != "email" && strings.IndexFunc(v, syncd.Hidden) >= 0 { // the email is the contact's key, kept as sent
				t.Fatalf("%s: %s property %s %q holds a character that would show it other than it is (a right-to-left override, say)",
					target, op.Kind, name, v)
			}
			if name == "email" && !plausibleEmail(v) {
				t.Fatalf("%s: %s email %q is not one", target, op.Kind, v)
			}
			d, ok := r.fields[fieldKey{op.Kind, name}]
			if !ok || d.spec.Type == "" || v == "" {
				continue
			}
			if why := valueProblem(target, d.spec.Type, v, op.Properties); why != "" {
				t.Fatalf("%s: %s property %s (%s) %q: %s", target, op.Kind, name, d.spec.Type, v, why)
			}
		}
	}
}

// badText says why no CRM would take s as a value: not UTF-8, or a control
// character but tab and line breaks (a NUL).
func badText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' }) >= 0:
		return "holds a control character (a NUL, say)"
	}
	return ""
}

// valueProblem is the target CRM's judgement of a value of a declared type.
func valueProblem(target, typ, v string, record map[string]string) string {
	if target == "pipedrive" {
		return pipedrive.ValueProblem(typ, v, record)
	}
	return hubspot.ValueProblem(typ, v)
}

// FuzzMapValue puts lit (the inside of a JSON string as a sender writes
// it: escapes, lone surrogates, control characters) into each string
// field of each webhook fixture in turn, and maps every such event
// through the shipped mappings of both CRMs, with FuzzMapEvent's checks
// (seeds: below, plus testdata/fuzz/FuzzMapValue). Random bodies seldom
// get past the decoder; these all do.
func FuzzMapValue(f *testing.F) {
	for _, s := range []string{"Kim", "kim@example.com", "+45 52 25 05 59", `\u0000`, `kim\u0000@example.com`, `\ud800`,
		`a@b.c\u200b`, `\u202emoc.elgoog`, `go\u2066og\ufeffle`, "2021-09-06T06:28:06+01:00", "1e999", `<b>x</b>&amp;`, "=1+2", strings.Repeat("x", 70000)} {
		f.Add(s)
	}
	rules := shippedRules(f)
	type fixture struct {
		kind  syncd.Kind
		body  string
		paths []int // offsets of the string values' quotes in body, in pairs
	}
	var fixtures []fixture
	for path, kind := range examples(f) {
		ev := fixtureEvent(f, kind, path) // standard JSON: the payload
		fixtures = append(fixtures, fixture{kind, string(ev.Payload), stringValues(ev.Payload)})
	}
	f.Fuzz(func(t *testing.T, lit string) {
		if !json.Valid([]byte(`"` + lit + `"`)) {
			return
		}
		for _, fx := range fixtures {
			for i := 0; i+1 < len(fx.paths); i += 2 {
				body := fx.body[:fx.paths[i]+1] + lit + fx.body[fx.paths[i+1]:]
				ev, err := EventFromBody(fx.kind, string(fx.kind), "", []byte(body))
				if err != nil || ev.MapState == syncd.MapUnrecognised {
					continue
				}
				ev.ID = 42
				for target, r := range rules {
					checkMapped(t, target, r, r.Map(ev))
				}
			}
		}
	})
}

// stringValues lists the offsets of the opening and closing quote of each
// string value (not name) in the JSON document doc.
func stringValues(doc []byte) []int {
	var out []int
	var walk func(r gjson.Result)
	walk = func(r gjson.Result) {
		switch {
		case r.IsObject() || r.IsArray():
			r.ForEach(func(_, v gjson.Result) bool { walk(v); return true })
		case r.Type == gjson.String:
			out = append(out, r.Index, r.Index+len(r.Raw)-1)
		}
	}
	walk(gjson.ParseBytes(doc))
	return out
}
