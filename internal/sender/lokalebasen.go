package sender

import "github.com/syncd-dev/syncd/internal/syncd"

// lokalebasen is Lokalebasen's push events: no delivery id (the key is the
// canonical hash), one lead type.
var lokalebasen = Spec{
	Kind:      syncd.KindLokalebasen,
	Name:      "Lokalebasen",
	Country:   "DK",
	TypeField: "event_type",
	Types:     []string{syncd.TypeEnquiryCreated},
	Leads:     []string{syncd.TypeEnquiryCreated},
}
