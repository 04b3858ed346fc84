package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// OldType is an event as an older syncd stored it, with the type the
// upgrade leaves it (Want).
type OldType struct {
	Source    string
	Kind      syncd.Kind
	Type, Key string
	Body      []byte
	Want      string
}

// TypesBeforeUpgrade are events an older syncd stored with a documented
// type written in another case or with white space around it, each keyed
// by its body's hash as that syncd keyed a type it did not know, beside a
// type spelt otherwise and documented ones. A test stores them in a
// database at the schema before the types' migration, opens it (which
// migrates it) and checks each event's type is Want and its key and body
// are as stored.
func TypesBeforeUpgrade() []OldType {
	var out []OldType
	for i, c := range []struct {
		kind      syncd.Kind
		typ, want string
	}{
		{syncd.KindEAF, "Email_Lead", syncd.TypeEmailLead},
		{syncd.KindEAF, " email_lead\u00a0", syncd.TypeEmailLead},
		{syncd.KindEAF, "EMAIL_LEAD\t", syncd.TypeEmailLead},
		{syncd.KindEAF, "Portal_Submission", syncd.TypePortalSubmission},
		{syncd.KindEAF, "email-lead", "email-lead"},
		{syncd.KindEAF, "", ""},
		{syncd.KindEAF, syncd.TypeEmailLead, syncd.TypeEmailLead},
		{syncd.KindLokalebasen, "Enquiry_Created ", syncd.TypeEnquiryCreated},
		{syncd.KindLokalebasen, syncd.TypeEnquiryCreated, syncd.TypeEnquiryCreated},
	} {
		field, source := "eaf_type", "eaf"
		if c.kind == syncd.KindLokalebasen {
			field, source = "event_type", "lb"
		}
		body := []byte(fmt.Sprintf(`{%q:%q,"eaf_id":"%d","contact_email":"lead%d@example.com"}`, field, c.typ, 800+i, i))
		sum := sha256.Sum256(body)
		out = append(out, OldType{Source: source, Kind: c.kind, Type: c.typ, Key: "sha256:" + hex.EncodeToString(sum[:]),
			Body: body, Want: c.want})
	}
	return out
}
