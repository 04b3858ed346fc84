package sender

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestImportCountsOutOfRange: eaf_records_modified of 1e999999999 was read
// as 9223372036854775807 records (a fraction cut, text as 0); a count is a
// whole number from 0 to MaxCount, else why it is none.
func TestImportCountsOutOfRange(t *testing.T) {
	for body, want := range map[string]struct {
		n   int64
		bad string
	}{
		`{}`: {0, ""}, `{"eaf_records_modified": null}`: {0, ""}, `{"eaf_records_modified": ""}`: {0, ""},
		`{"eaf_records_modified": 12}`: {12, ""}, `{"eaf_records_modified": "12"}`: {12, ""},
		`{"eaf_records_modified": 1.2e1}`:               {12, ""},
		`{"eaf_records_modified": 999999999999999}`:     {MaxCount, ""},
		`{"eaf_records_modified": 1e999999999}`:         {0, OutOfRange},
		`{"eaf_records_modified": 9223372036854775808}`: {0, OutOfRange},
		`{"eaf_records_modified": 1000000000000000}`:    {0, OutOfRange},
		`{"eaf_records_modified": -3}`:                  {0, OutOfRange},
		`{"eaf_records_modified": 2.5}`:                 {0, OutOfRange},
		`{"eaf_records_modified": 1e-400}`:              {0, OutOfRange},
		`{"eaf_records_modified": "-5e-999"}`:           {0, OutOfRange},
		`{"eaf_records_modified": 0e-400}`:              {0, ""},
		`{"eaf_records_modified": -0}`:                  {0, ""},
		`{"eaf_records_modified": "many"}`:              {0, NotANumber},
		`{"eaf_records_modified": "NaN"}`:               {0, NotANumber},
		`{"eaf_records_modified": true}`:                {0, NotANumber},
		`{"eaf_records_modified": {"n": 1}}`:            {0, NotANumber},
	} {
		if got := eafImport([]byte(body)); got.Records != want.n || got.RecordsBad != want.bad {
			t.Errorf("%s: %d records, %q; want %d, %q", body, got.Records, got.RecordsBad, want.n, want.bad)
		}
	}
}

// TestReferenceTooSmallForANumberIsOutOfRange: a location's id or key, a
// listing's reference sent as a number too small for any a CRM holds
// (1.5e-400, past a double's least) showed in the workbook as "0" (the
// float it rounds to), where the mapping refused the lead for it ("beyond
// any number a CRM holds"): the Leads sheet showed "out of range / 0" for
// one as for the other. Both now say "out of range", as 1e999 does; a zero
// written with an exponent is 0.
func TestReferenceTooSmallForANumberIsOutOfRange(t *testing.T) {
	l := For(syncd.KindLokalebasen).Lead([]byte(`{"event_type":"enquiry_created","payload":{"location":` +
		`{"id":1.5e-400,"external_key":-1e-999}}}`))
	if want := OutOfRange + " / " + OutOfRange; l.Property != want {
		t.Errorf("location 1.5e-400 / -1e-999 shows as %q, want %q", l.Property, want)
	}
	s := eafSubmission([]byte(`{"eaf_status":"error","eaf_reference":0e-400,"eaf_portal_reference":2e-324,` +
		`"eaf_errors":[{"eaf_code":7e-500,"eaf_message":"x"}]}`))
	if s.Ref != "0" || s.PortalRef != OutOfRange || len(s.Errors) != 1 || s.Errors[0].Code != OutOfRange {
		t.Errorf("references 0e-400, 2e-324 and code 7e-500 show as %q, %q, %+v; want 0, %q, %q", s.Ref, s.PortalRef, s.Errors, OutOfRange, OutOfRange)
	}
}
