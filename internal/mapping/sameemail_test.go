package mapping

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSamePersonsEmailWrittenAnotherWayIsOneKey: the same address as
// portals send it, in capitals, with spaces, with the DNS root's trailing
// dot ("kim@x.dk."), or its domain in Unicode ("møller.dk") and in IDNA's
// ASCII form ("xn--mller-vua.dk"), was another contact key: the trailing
// dot made the lead unmappable without a phone, and in Pipedrive, which
// does not dedupe, the other form of the domain made a second person.
// HubSpot refuses letters outside ASCII in an address (INVALID_EMAIL), so
// a lead with "møller.dk" went dead there. Each form is now the one key:
// the ASCII domain for HubSpot, the Unicode one for Pipedrive.
func TestSamePersonsEmailWrittenAnotherWayIsOneKey(t *testing.T) {
	for _, c := range []struct {
		forms              []string
		hubspot, pipedrive string
	}{
		{[]string{"kim@x.dk", "KIM@X.DK", "  kim@x.dk ", "kim@x.dk.", "Kim@X.Dk."}, "kim@x.dk", "kim@x.dk"},
		{[]string{"soren@møller.dk", "SOREN@MØLLER.DK", "soren@xn--mller-vua.dk", "soren@XN--MLLER-VUA.DK.", " soren@møller.dk. "},
			"soren@xn--mller-vua.dk", "soren@møller.dk"},
		{[]string{"ase@a\u030arhus.dk", "ASE@xn--rhus-poa.dk", "ase@Århus.dk"}, "ase@xn--rhus-poa.dk", "ase@århus.dk"},
		{[]string{"kim@æøå.dk", "kim@xn--5cab8c.dk", "KIM@ÆØÅ.DK."}, "kim@xn--5cab8c.dk", "kim@æøå.dk"},
	} {
		for target, want := range map[string]string{"hubspot": c.hubspot, "pipedrive": c.pipedrive} {
			r, err := Load(mappingsDir+"/"+target, target)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range c.forms {
				quoted, _ := json.Marshal(e)
				body := fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"1","contact_name":"Kim Hansen","contact_email":%s,"eaf_date":"2026-11-30T06:28:06+01:00"}`, quoted)
				res := r.Map(testEvent(syncd.KindEAF, "email_lead", "eaf:1", []byte(body)))
				if res.State != syncd.MapMapped || len(res.Ops) != 2 {
					t.Errorf("%s: %q not mapped: %+v", target, e, res)
					continue
				}
				if res.Ops[0].Key != want || res.Ops[0].Properties["email"] != want || res.Ops[1].ContactKey != want {
					t.Errorf("%s: %q is contact %q (email %q), its deal's contact %q; want %q",
						target, e, res.Ops[0].Key, res.Ops[0].Properties["email"], res.Ops[1].ContactKey, want)
				}
			}
		}
	}
}
