package report_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestClientEnquiryCountsAsDirect: Lokalebasen names an enquiry the client
// made "client" (the shipped mappings write it so, and Pipedrive's enum
// field "syncd enquiry type" has the options client and extra). The report
// counted only "direct" under "Direct (the client asked)": a day of one
// client and two extra enquiries said Direct 0, Extra 2 beside Lokalebasen
// 3, and the mail "0 direct (the client asked), 2 extra". A "client"
// enquiry counts as direct now, as does "direct".
func TestClientEnquiryCountsAsDirect(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	base := fixture(t, "lokalebasen/enquiry_created.json")
	for i, typ := range []string{"extra", "client", "extra", "direct"} {
		body := with(t, base, "payload.enquiry.type", typ, "payload.location.id", string(rune('1'+i)))
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: body,
			at: time.Date(2026, 10, 24, 10+i, 0, 0, 0, loc), mapState: "pending"})
	}
	srv := mailtest.Start(t, "syncd", "pw")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 24},
		report.Options{Store: db, Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	sum := summaryMap(t, openBook(t, path))
	for k, want := range map[string]string{"Lokalebasen": "4", "Direct (the client asked)": "2", "Extra (Lokalebasen suggested)": "2"} {
		if got := sum[k]; got != want {
			t.Errorf("Summary %q = %q, want %q", k, got, want)
		}
	}
	const want = "Lokalebasen: 2 direct (the client asked), 2 extra (Lokalebasen suggested)"
	if p := srv.Only(t); !slices.Contains(textLines(p), want) {
		t.Errorf("the mail's text lacks %q:\n%s", want, p.Text)
	}
}
