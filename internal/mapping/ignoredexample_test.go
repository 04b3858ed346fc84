package mapping

import (
	"slices"
	"strings"
	"testing"
)

// TestCheckExamplesNamesALeadNoRuleMaps: an example lead that no rule
// maps, as a when: that holds for none ("client" where the sender sends
// "extra") or a rule for another event type leaves every lead like it,
// was counted among the examples that "map cleanly" by syncd validate,
// exit 0, while the daemon then ignored every such lead: never sent to
// the CRM, no warning. Each is named with the rule whose when: did not
// hold; a body that is no lead (a feed import no rule maps) is not.
func TestCheckExamplesNamesALeadNoRuleMaps(t *testing.T) {
	const lb = "/lokalebasen/enquiry_created.json: a lead no rule maps: "
	const ignored = "; leads like it are ignored, never sent to the CRM"
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"condition that holds for none", `rules:
  - name: lb
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "client"'
    contact:
      email: payload.client.email
` + strings.TrimPrefix(eafRule, "rules:\n"), []string{
			webhooksDir + lb + `no rule's when: holds for it (rule "lb" at test.yaml:5)` + ignored}},
		{"two conditions", `rules:
  - name: lb-client
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "client"'
    contact:
      email: payload.client.email
  - name: lb-Extra
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "Extra"'
    contact:
      email: payload.client.email
` + strings.TrimPrefix(eafRule, "rules:\n"), []string{
			webhooksDir + lb + `no rule's when: holds for it (rules "lb-client" at test.yaml:5, "lb-Extra" at test.yaml:11)` + ignored}},
		{"no rule for the type", eafRule, []string{
			webhooksDir + lb + `no rule for lokalebasen enquiry_created` + ignored}},
		{"every lead mapped", `rules:
  - name: lb-client
    source: lokalebasen
    event: enquiry_created
    when: 'payload.enquiry.type == "client"'
    contact:
      email: payload.client.email
  - name: lb-other
    source: lokalebasen
    event: enquiry_created
    contact:
      email: payload.client.email
` + strings.TrimPrefix(eafRule, "rules:\n"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustParse(t, tc.yaml)
			_, leads, errs := r.CheckExamples(webhooksDir, nil)
			if len(errs) != 0 {
				t.Fatalf("errs: %v", errs)
			}
			var got []string
			for _, l := range leads {
				got = append(got, l.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ignored leads:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
	for _, target := range targets { // the shipped mappings map every example lead
		r, err := Load(mappingsDir+"/"+target, target)
		if err != nil {
			t.Fatal(err)
		}
		if _, leads, _ := r.CheckExamples(webhooksDir, nil); len(leads) != 0 {
			t.Errorf("%s: %v", target, leads)
		}
	}
}
