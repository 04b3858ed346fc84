package mapping

import (
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestNameThatIsAnEmailIsNoFirstName: a portal form's name field filled
// in with the client's address ("kim@x.dk") reached HubSpot as the
// contact's first name, so the salesperson's contact list showed an
// address where the name goes, and a greeting merged from it read "Dear
// kim@x.dk". Such a name is no name: first and last name are left empty
// (the email is the contact's email); a real name, one with an @ in a
// word among others, is split as before.
func TestNameThatIsAnEmailIsNoFirstName(t *testing.T) {
	r, err := Load(mappingsDir+"/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{
		"kim@x.dk":         {"", ""},
		" Kim@X.dk ":       {"", ""},
		"<kim@x.dk>":       {"", ""},
		"Kim Hansen":       {"Kim", "Hansen"},
		"KIM HANSEN":       {"KIM", "HANSEN"},
		"Kim @ Hansen ApS": {"Kim", "@ Hansen ApS"},
	} {
		body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":%q,"contact_email":"kim@x.dk","eaf_date":"2026-11-30T06:28:06+01:00"}`, name)
		res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", []byte(body)))
		if res.State != syncd.MapMapped || len(res.Ops) != 2 {
			t.Fatalf("%q: %+v", name, res)
		}
		p := res.Ops[0].Properties
		if p["firstname"] != want[0] || p["lastname"] != want[1] {
			t.Errorf("name %q: first %q, last %q; want %q, %q", name, p["firstname"], p["lastname"], want[0], want[1])
		}
	}
}
