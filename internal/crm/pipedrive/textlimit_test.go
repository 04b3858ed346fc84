package pipedrive_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLongTextIsCutToPipedrivesLimits: a text field holds 255 characters
// (varchar) or 65,000 (text), and Pipedrive refuses a longer value with
// its record: a lead whose company name ran long, or whose message quoted
// a whole mail thread, was dead-lettered and never reached the CRM. Such
// a value is now cut to its field's limit (a deal's title and a person's
// name, as varchar, to 255), with a mark saying so, on create and on
// update; the lead goes in, and a warning names the lead and the fields,
// not the text. The lead id is never cut: a cut one would not find its
// deal again (a second deal on the next delivery); Pipedrive refuses it.
func TestLongTextIsCutToPipedrivesLimits(t *testing.T) {
	t.Parallel()
	var logs logtest.Buffer
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Logger: zerolog.New(&logs)})
	company := srv.AddField("person", crmfake.Field{Name: "Company", Type: "varchar"})
	portal := srv.AddField("deal", crmfake.Field{Name: "Portal", Type: "varchar"})
	message := srv.AddField("deal", crmfake.Field{Name: "Message", Type: "text"})
	cs, ds := crmtest.Leads(2)
	longName := strings.Repeat("Jensen ", 50)     // 350 characters
	longThread := strings.Repeat("Hej 😀 ", 12000) // 84,000 UTF-16 units
	cs[1].Properties["Company"] = strings.Repeat("Æblegård ApS ", 30)
	cs[1].Properties["name"] = longName
	ds[1].Properties["Portal"] = strings.Repeat("rightmove ", 30)
	ds[1].Properties["Message"] = longThread
	ds[1].Properties["title"] = longName
	for round := range 2 { // a create, then an update of the same records
		cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
		for i := range cs {
			if cr[i].Err != nil || dr[i].Err != nil || dr[i].ID == "" {
				t.Fatalf("round %d, lead %d: contact %+v, deal %+v", round, i, cr[i], dr[i])
			}
		}
	}
	st := srv.State()
	fits := func(what, got, whole string, most int) {
		t.Helper()
		n := len(utf16.Encode([]rune(got)))
		if n > most || n < most-10 || !strings.HasPrefix(whole, strings.SplitN(got, " […]", 2)[0]) || !strings.Contains(got, "cut by syncd") {
			t.Errorf("%s: %d UTF-16 units (most %d), ends %q", what, n, most, got[max(len(got)-120, 0):])
		}
	}
	for _, d := range st.Deals {
		if d.Properties["custom_fields."+crmfake.DefaultPipedriveLeadField] != ds[1].LeadID {
			continue
		}
		fits("deal title", d.Properties["title"], longName, 255)
		fits("deal portal", d.Properties["custom_fields."+portal], ds[1].Properties["Portal"], 255)
		fits("deal message", d.Properties["custom_fields."+message], longThread, 65000)
	}
	for _, c := range st.Contacts {
		if c.Properties["email"] == cs[1].Email {
			fits("person name", c.Properties["name"], longName, 255)
			fits("person company", c.Properties["custom_fields."+company], cs[1].Properties["Company"], 255)
		}
	}
	l := logs.String()
	for _, want := range []string{ds[1].LeadID, `"Message"`, `"Portal"`, `"title"`, `"Company"`} {
		if !strings.Contains(l, want) {
			t.Errorf("log does not name %s: %.600s", want, l)
		}
	}
	if strings.Contains(l, "Hej") || strings.Contains(l, "Jensen") || strings.Contains(l, "Æblegård") || strings.Contains(l, cs[1].Email) {
		t.Errorf("log holds the lead's text: %.600s", l)
	}
	long := ds[0]
	long.LeadID = strings.Repeat("eaf:x", 60) // 300 characters
	if r := a.UpsertDeals(context.Background(), []syncd.Deal{long})[0]; r.Err == nil {
		t.Errorf("a lead id longer than its field holds went in: %+v", r)
	}
	for _, d := range srv.State().Deals {
		if strings.Contains(d.Properties["custom_fields."+crmfake.DefaultPipedriveLeadField], "cut by syncd") {
			t.Errorf("lead id cut: %q", d.Properties["custom_fields."+crmfake.DefaultPipedriveLeadField])
		}
	}
}

// TestCheckWarnsOfALargeTextFieldThatHoldsLittle: the mappings declare a
// message field large text (65,000 characters), but the account's field
// of that name is a plain text field (255), made by hand in Pipedrive's
// screens, say. crm check took the two as the same ("text types") and
// said the account was ready; every message past 255 characters was then
// cut. It now warns, naming the field and both limits; a field as large
// as declared, or larger, is not warned of.
func TestCheckWarnsOfALargeTextFieldThatHoldsLittle(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	srv.AddField("deal", crmfake.Field{Name: "Message", Type: "varchar"})
	srv.AddField("deal", crmfake.Field{Name: "Comment", Type: "text"})
	srv.AddField("deal", crmfake.Field{Name: "Portal", Type: "text"})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "title", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "Message", Type: "text", Dynamic: true, Where: "eaf.yaml:40"},
		{Kind: syncd.RecordDeal, Name: "Comment", Type: "text", Dynamic: true},
		{Kind: syncd.RecordDeal, Name: "Portal", Type: "varchar", Dynamic: true},
	}
	fs, err := a.Check(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	var got []syncd.Finding
	for _, f := range fs {
		if f.Object == "deals" && f.Name != "" && f.Name != "value" {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Name != "Message" || got[0].Severity != syncd.SevWarn ||
		!strings.Contains(got[0].Problem, "255") || !strings.Contains(got[0].Problem, "65,000") || !strings.Contains(got[0].Problem, "cut") {
		t.Fatalf("findings: %+v", fs)
	}
}
