package sender

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestATypeInAnotherCaseIsTheDocumentedOne: an EAF lead whose eaf_type was
// written "Email_Lead" or "email_lead " (a template's case, a space after)
// was stored as a type of its own, with the body's hash for its key, which
// no rule maps: the lead never reached the CRM. A documented type written
// in another case or with white space around it is that type, keyed as a
// lead spelt as documented is; a type spelt otherwise is still a new one.
func TestATypeInAnotherCaseIsTheDocumentedOne(t *testing.T) {
	for _, c := range []struct {
		kind           syncd.Kind
		body, typ, key string
	}{
		{syncd.KindEAF, `{"eaf_type":"Email_Lead","eaf_id":"77"}`, "email_lead", "eaf:77"},
		{syncd.KindEAF, `{"eaf_type":"email_lead ","eaf_id":"77"}`, "email_lead", "eaf:77"},
		{syncd.KindEAF, `{"eaf_type":"\tEMAIL_LEAD\n","eaf_id":"77"}`, "email_lead", "eaf:77"},
		{syncd.KindEAF, `{"eaf_type":"Portal_Submission","eaf_id":"77"}`, "portal_submission", "eaf.portal_submission:77"},
		{syncd.KindEAF, `{"eaf_type":"email_lead","eaf_id":"77"}`, "email_lead", "eaf:77"},
		{syncd.KindEAF, `{"eaf_type":"email-lead","eaf_id":"77"}`, "email-lead", ""},
		{syncd.KindEAF, `{"eaf_type":"email lead","eaf_id":"77"}`, "email lead", ""},
		{syncd.KindLokalebasen, `{"event_type":"Enquiry_Created ","payload":{}}`, "enquiry_created", ""},
	} {
		d := Decode(c.kind, []byte(c.body), 0)
		if d.Type != c.typ || d.Unrecognised != "" {
			t.Errorf("%s: type %q (unrecognised %q), want %q", c.body, d.Type, d.Unrecognised, c.typ)
		}
		if c.key != "" && d.Key != c.key {
			t.Errorf("%s: key %q, want %q", c.body, d.Key, c.key)
		}
	}
}
