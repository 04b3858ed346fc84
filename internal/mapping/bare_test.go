package mapping

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestBareConstantsKeepTheirText: values YAML reads as another type than
// text are constants written as they stand: a phone's leading zeros, an
// octal-looking or exponent number, a date. A bare date was refused as
// "want a path, a constant or {path|const|expr: ...}, got "2026-01-02"",
// though it is a constant.
func TestBareConstantsKeepTheirText(t *testing.T) {
	r := mustParse(t, `rules:
  - name: a
    source: eaf
    event: email_lead
    contact:
      email: contact_email
      phone: 004552250559
      syncd_code: 0o17
      syncd_size: 1e3
      syncd_start: 2026-01-02
      syncd_flag: true
`)
	res := r.Map(testEvent("eaf", "email_lead", "k", []byte(`{"contact_email":"a@b.dk"}`)))
	if res.State != syncd.MapMapped {
		t.Fatalf("Map: %+v", res)
	}
	want := map[string]string{"phone": "+4552250559", "syncd_code": "0o17", "syncd_size": "1e3", "syncd_start": "2026-01-02", "syncd_flag": "true"}
	for k, v := range want {
		if got := res.Ops[0].Properties[k]; got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}
