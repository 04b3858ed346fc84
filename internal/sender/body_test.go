package sender

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSpecsDescribeTheirBodies: every kind that has leads, submissions or
// imports says how the report reads them, and every type it documents has
// a body struct for mapping with the syncd field; a new portal's file that
// forgets one fails here.
func TestSpecsDescribeTheirBodies(t *testing.T) {
	for _, s := range All() {
		if (len(s.Leads) > 0) != (s.Lead != nil) || (len(s.Submissions) > 0) != (s.Submission != nil) ||
			(len(s.Imports) > 0) != (s.Import != nil) {
			t.Errorf("%s: a reader is missing, or there without its types", s.Kind)
		}
		for _, typ := range s.Types {
			p := s.Payloads[typ]
			if p == nil {
				t.Errorf("%s %s: no body struct", s.Kind, typ)
				continue
			}
			f, ok := p.FieldByName("Syncd")
			if !ok || f.Type != reflect.TypeFor[Meta]() || f.Tag.Get("expr") != "syncd" {
				t.Errorf("%s %s: no Meta field tagged syncd", s.Kind, typ)
			}
		}
		if l, ok := Label(string(s.Kind)); !ok || l != s.Name {
			t.Errorf("label of %s: %q", s.Kind, l)
		}
	}
	if l, _ := Label("onthemarket"); l != "OnTheMarket" {
		t.Errorf("label of onthemarket: %q", l)
	}
}

// body reads a fixture as intake stores it: in standard JSON.
func body(t *testing.T, kind syncd.Kind, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", string(kind), name))
	if err != nil {
		t.Fatal(err)
	}
	if d := Decode(kind, raw, 0); d.Payload != nil {
		return d.Payload
	}
	return raw
}

func TestReadersOnTheSendersExamples(t *testing.T) {
	lb := For(syncd.KindLokalebasen).Lead(body(t, syncd.KindLokalebasen, "enquiry_created.json"))
	want := Lead{Portal: "lokalebasen", EnquiryType: "extra", Name: "Angela Baker", Email: "angela7913@hotmail.com",
		Phone: "52 25 05 59", Company: "Bakers Inc.", Property: "20064 / EJ-593915GV",
		PropertyURL:  "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064",
		Requested:    "dampfaergevej-10559",
		RequestedURL: "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559",
		MessageHTML:  "I would like something with a grand view over the city."}
	if lb != want {
		t.Errorf("lokalebasen lead\n got %+v\nwant %+v", lb, want)
	}
	eaf := For(syncd.KindEAF)
	wantEAF := Lead{Portal: "rightmove", Name: "EAF Support", Email: "support@estateagentfeeds.com",
		Phone: "+44(0)20 3870 4550", Property: "87654321", Message: "This is an enquiry message.",
		MessageHTML: "This is an enquiry message."}
	if l := eaf.Lead(body(t, syncd.KindEAF, "email_lead.json")); l != wantEAF {
		t.Errorf("eaf lead\n got %+v\nwant %+v", l, wantEAF)
	}
	// The specification's error example has no eaf_reference: the portal
	// reference holds it.
	s := eaf.Submission(body(t, syncd.KindEAF, "portal_submission_error.json"))
	if s.OK || s.Ref != "87654321" || s.Portal != "rightmove" || len(s.Errors) != 1 ||
		s.Errors[0].Code != "ERR_ACCOUNT_ALLOWANCE" || !s.At.Equal(time.Unix(1630703248, 0)) {
		t.Errorf("eaf submission %+v", s)
	}
	if i := eaf.Import(body(t, syncd.KindEAF, "feed_import.json")); i.Records != 2 || i.Format != "xml_eaf_spec" ||
		i.Feed != "https://estateagentfeeds.com/docs/eaf_xml_import_sample.xml" || i.At.IsZero() {
		t.Errorf("eaf import %+v", i)
	}
}

// TestEAFLeadFields: every field the report shows, in any order, escaped
// or not; the portal reference stands in for a missing agency reference,
// and a development reference is added to it.
func TestEAFLeadFields(t *testing.T) {
	l := For(syncd.KindEAF).Lead([]byte(`{"eaf_development_reference":"D7","contact_message_html":"<p>Hi</p>",` +
		`"eaf_reference":"","eaf_portal_reference":"P1_EAF_9","contact_message_flat":"Hi \u00e6","contact_phone":"+4412",` +
		`"contact_email":"a@b.c","contact_name":"A \"B\"","email_source":"zoopla","eaf_type":"email_lead"}`))
	want := Lead{Portal: "zoopla", Name: `A "B"`, Email: "a@b.c", Phone: "+4412", Property: "P1_EAF_9 / development D7",
		Message: "Hi æ", MessageHTML: "<p>Hi</p>"}
	if l != want {
		t.Errorf("eaf lead\n got %+v\nwant %+v", l, want)
	}
}
