package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// OldType is an event as an older syncd stored it, with the type and the
// key the upgrade leaves it (Want, WantKey).
type OldType struct {
	Source    string
	Kind      syncd.Kind
	Type, Key string
	Body      []byte
	Want      string
	WantKey   string
}

// TypesBeforeUpgrade are events an older syncd stored with a documented
// type written in another case or with white space around it, each keyed
// by its body's hash as that syncd keyed a type it did not know, beside a
// type spelt otherwise and documented ones. A test stores them in a
// database at the schema before the types' migration, opens it (which
// migrates it) and checks each event's type is Want, its key WantKey (the
// key intake gives its body now, "eaf:<eaf_id>", where the sender wrote a
// documented type otherwise: nothing in the CRM knows these) and its body
// as stored.
func TypesBeforeUpgrade() []OldType {
	var out []OldType
	for i, c := range []struct {
		kind      syncd.Kind
		typ, want string
		key       string // "" for the body's hash, as stored
	}{
		{syncd.KindEAF, "Email_Lead", syncd.TypeEmailLead, "eaf:800"},
		{syncd.KindEAF, " email_lead\u00a0", syncd.TypeEmailLead, "eaf:801"},
		{syncd.KindEAF, "EMAIL_LEAD\t", syncd.TypeEmailLead, "eaf:802"},
		{syncd.KindEAF, "Portal_Submission", syncd.TypePortalSubmission, "eaf.portal_submission:803"},
		{syncd.KindEAF, "email-lead", "email-lead", ""},
		{syncd.KindEAF, "", "", ""},
		{syncd.KindEAF, syncd.TypeEmailLead, syncd.TypeEmailLead, ""},
		{syncd.KindLokalebasen, "Enquiry_Created ", syncd.TypeEnquiryCreated, ""},
		{syncd.KindLokalebasen, syncd.TypeEnquiryCreated, syncd.TypeEnquiryCreated, ""},
	} {
		field, source := "eaf_type", "eaf"
		if c.kind == syncd.KindLokalebasen {
			field, source = "event_type", "lb"
		}
		body := []byte(fmt.Sprintf(`{%q:%q,"eaf_id":"%d","contact_email":"lead%d@example.com"}`, field, c.typ, 800+i, i))
		sum := sha256.Sum256(body)
		key := "sha256:" + hex.EncodeToString(sum[:])
		wantKey := c.key
		if wantKey == "" {
			wantKey = key
		}
		out = append(out, OldType{Source: source, Kind: c.kind, Type: c.typ, Key: key, Body: body, Want: c.want, WantKey: wantKey})
	}
	return out
}
