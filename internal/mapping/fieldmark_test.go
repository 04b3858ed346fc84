package mapping

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFieldsDirectionalMarksAreNotSentWithIt: a lead pasted from a
// right-to-left web form put invisible marks and soft hyphens into the
// CRM's company ("\u200fشركة النور\u200f") and references
// ("\u200eEJ-593915\u00adGV\u200e", in the deal's name too), which its
// search and dedup then took for characters, as a name's once were. A
// message keeps them, one line or several: there a mark orders the text
// around it ("غرف\u200f!" puts the "!" at the end of the Arabic). A
// company of a mark alone is none, left out.
func TestAFieldsDirectionalMarksAreNotSentWithIt(t *testing.T) {
	const marks = "\u200e\u200f\u061c\u00ad"
	const message = "مرحبا، أريد شقة بـ 3 غرف\u200f!"
	const lines = "Hej\n\u200fمرحبا، أريد شقة بـ 3 غرف\u200f!"
	lb, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
		"location": map[string]any{"id": "\u200e20064", "external_key": "\u200eEJ-593915\u00adGV\u200e"},
		"client":   map[string]any{"email": "mo@x.dk", "name": "Mo Ali", "company": "\u200fشركة\u00ad النور\u200f"},
		"comment":  message}})
	eaf, _ := json.Marshal(map[string]any{"eaf_type": "email_lead", "eaf_id": "1", "email_source": "\u200erightmove",
		"contact_name": "Mo Ali", "contact_email": "mo@x.dk", "eaf_reference": "\u200e8765\u00ad4321\u200e",
		"eaf_portal_reference": "\u061c87654321_EAF_67004", "contact_message_flat": lines})
	cases := []struct {
		target string
		ev     syncd.Event
		fields map[string]string // property of the contact ("c ") or deal ("d ") -> value wanted
	}{
		{"hubspot", testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", lb), map[string]string{
			"c company": "شركة النور", "d syncd_location_external_key": "EJ-593915GV", "d syncd_location_id": "20064",
			"d dealname": "Lokalebasen EJ-593915GV: Mo Ali", "d description": message}},
		{"pipedrive", testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:1", lb), map[string]string{
			"c syncd company": "شركة النور", "d syncd location key": "EJ-593915GV",
			"d title": "Lokalebasen EJ-593915GV: Mo Ali", "d syncd comment": message}},
		{"hubspot", testEvent(syncd.KindEAF, "email_lead", "eaf:1", eaf), map[string]string{
			"d syncd_property_reference": "87654321", "d syncd_portal_reference": "87654321_EAF_67004",
			"d syncd_portal": "rightmove", "d dealname": "Rightmove enquiry 87654321: Mo Ali", "d description": lines}},
		{"pipedrive", testEvent(syncd.KindEAF, "email_lead", "eaf:1", eaf), map[string]string{
			"d syncd property reference": "87654321", "d syncd message": lines}},
	}
	// a company of a mark alone is none: left out, not an invisible one sent
	lone, _ := json.Marshal(map[string]any{"event_type": "enquiry_created", "payload": map[string]any{
		"location": map[string]any{"id": "1"}, "client": map[string]any{"email": "mo@x.dk", "company": "\u200f"}}})
	cases = append(cases, struct {
		target string
		ev     syncd.Event
		fields map[string]string
	}{"hubspot", testEvent(syncd.KindLokalebasen, "enquiry_created", "lb:2", lone), map[string]string{"c company": ""}})
	for _, c := range cases {
		r, err := Load(filepath.Join(mappingsDir, c.target), c.target)
		if err != nil {
			t.Fatal(err)
		}
		res := r.Map(c.ev)
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("%s, %s: %+v", c.target, c.ev.Kind, res)
		}
		for k, want := range c.fields {
			props := res.Ops[0].Properties
			if k[0] == 'd' {
				props = res.Ops[1].Properties
			}
			if got := props[k[2:]]; got != want {
				t.Errorf("%s, %s: %s %q, want %q", c.target, c.ev.Kind, k[2:], got, want)
			}
		}
		for i, op := range res.Ops {
			for k, v := range op.Properties {
				if _, checked := c.fields[string("cd"[i])+" "+k]; !checked && strings.ContainsAny(v, marks) {
					t.Errorf("%s, %s: %s %q holds a mark", c.target, c.ev.Kind, k, v)
				}
			}
		}
	}
}
