package sender

import "testing"

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
