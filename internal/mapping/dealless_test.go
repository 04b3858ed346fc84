package mapping

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestADealNameInAContactWithoutADealIsSaidSo: the line "deal:" deleted
// (or lost in a paste), the deal's properties read as the contact's:
// valid YAML, and validate said ok, exit 0, while every contact went to
// the CRM with dealname, pipeline and dealstage as contact properties
// (HubSpot refuses the contact whole) and no deal was made. A rule with
// no deal: block whose contact maps the deal's name is refused at that
// line, saying a deal: line may be missing.
func TestADealNameInAContactWithoutADealIsSaidSo(t *testing.T) {
	for _, crm := range []string{"hubspot", "pipedrive"} {
		t.Run(crm, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(mappingsDir, crm, "lokalebasen.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			in := strings.Replace(string(data), "    deal:\n", "", 1)
			if in == string(data) {
				t.Fatal("the shipped lokalebasen.yaml has no deal: line")
			}
			name := dealNames[crm]
			lines := strings.Split(in, "\n")
			at := 0
			for i, l := range lines {
				if strings.HasPrefix(strings.TrimSpace(l), name+":") {
					at = i + 1
					break
				}
			}
			_, err = Parse(crm+"/lokalebasen.yaml", []byte(in), crm)
			want := crm + "/lokalebasen.yaml:" + strconv.Itoa(at) + `: rule "lokalebasen-enquiry": contact.` + name + ": " + name +
				" is the deal's name, and this rule has no deal: block, so it and the deal's other properties are read as the contact's: is a line deal: missing above them?"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("deal: deleted: %v\nwant %s", err, want)
			}
		})
	}
}
