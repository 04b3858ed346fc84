package mapping_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestMappingReadsNoHostZone: an expression could read the time zone of
// the host that maps the lead (date(syncd.received_at).Local() gave 02:34
// under TZ=Asia/Tokyo and 17:34 under TZ=UTC for the same event), so two
// instances in other zones, or a replay run from an operator's machine,
// gave other operations for one event; now the mapping is refused where
// it loads, with the place and the way out. A field named Local, the text
// "Local", and a zone named are fine.
func TestMappingReadsNoHostZone(t *testing.T) {
	rule := func(event, phone string) string {
		return "rules:\n  - name: r\n    source: eaf\n    event: " + event + "\n" +
			"    contact:\n      email: contact_email\n      phone: " + phone + "\n"
	}
	const why = "reads the time zone of the host that maps the lead"
	for _, c := range []struct{ doc, want string }{
		{rule("email_lead", `{expr: 'formatDate(date(syncd.received_at).Local(), "15:04")'}`),
			`contact.phone: expression: .Local() ` + why},
		{rule("email_lead", `{expr: 'formatDate(syncd.received_at, "15:04", "Local")'}`),
			`contact.phone: expression: the zone "Local" ` + why},
		{rule("email_lead", `{expr: 'localTime(syncd.received_at, "Local")'}`),
			`contact.phone: expression: the zone "Local" ` + why},
		{rule("email_lead", `{expr: 'date(syncd.received_at).In(timezone("Local"))'}`),
			`contact.phone: expression: the zone "Local" ` + why},
		{rule("email_lead", `{expr: 'date("2026-12-01 10:00", "2006-01-02 15:04", "Local")'}`),
			`contact.phone: expression: the zone "Local" ` + why},
	} {
		_, err := mapping.Parse("t.yaml", []byte(c.doc), "hubspot")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), `localTime(syncd.received_at, "Europe/Copenhagen")`) {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
	for _, ok := range []string{
		rule("email_lead", `{expr: 'formatDate(syncd.received_at, "15:04", "Europe/Copenhagen")'}`),
		rule("email_lead", `{expr: '"Local"'}`),
	} {
		if _, err := mapping.Parse("t.yaml", []byte(ok), "hubspot"); err != nil {
			t.Errorf("refused %q: %v", ok, err)
		}
	}
}
