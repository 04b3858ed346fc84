package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

var (
	firsts    = []string{"Angela", "Bo", "Mette", "Søren", "Charlotte", "James", "Priya", "Oliver", "Amelia", "Henrik", "Ida", "Mohammed", "Sophie", "Lars", "Emily"}
	lasts     = []string{"Baker", "Jensen", "Nielsen", "Hansen", "Andersen-Møller", "Smith", "Patel", "Brown", "Wilson", "Christensen", "Larsen", "Khan", "Taylor", "Pedersen", "Davies"}
	companies = []string{"Bakers Inc.", "Nordic Design ApS", "", "Hansen & Co", "Cloudberry Software A/S", "", "Møller Advokater"}
	portals   = []string{"rightmove", "rightmove", "zoopla", "onthemarket", "primelocation"}
	lbText    = []string{
		"<p>Hej</p><p>Vi er et voksende konsulenthus med 14 medarbejdere og søger kontor med mødelokale og gode parkeringsforhold.<br>Kan vi komme ud og se lokalerne i næste uge?</p><p>Mvh</p>",
		"I would like something with a grand view over the city.",
		"<p>Hvad er den samlede månedlige husleje inkl. drift og varme?</p>",
		"<p>Hej,<br>vi mangler 300-400 m² lager med rampe. Er lokalet stadig ledigt fra 1. maj?<br><br>Venlig hilsen</p>",
	}
	eafText = []string{
		"Hello,<br><br>I would like to arrange a viewing of this property. I am available on weekday evenings and Saturday mornings.<br><br>Kind regards",
		"Is this property still available? We are chain free and have a mortgage agreed in principle.",
		"Hi,<br>Could you tell me whether the landlord accepts pets? We have a small, well-behaved dog.<br>Also, is there off-street parking?<br>Thanks",
		"Please call me back about this flat.",
	}
)

// noContact are the leads that left neither an email nor a phone: the
// shipped mapping cannot map them (see outcome).
func noContact(i int) bool { return i == 17 || i == 64 }

// leads stores n leads of day with their CRM operations: most in the CRM,
// some waiting, a few dead or unmappable.
func (s *sample) leads(day report.Day, n int) {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = s.at(day)
	}
	slices.SortFunc(times, time.Time.Compare)
	for i, at := range times {
		first, last := pick(s.rnd, firsts), pick(s.rnd, lasts)
		email := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(strings.Split(last, "-")[0]), i)
		var id int64
		phone := fmt.Sprintf("+45%08d", 20000000+s.rnd.IntN(9999999))
		sentEmail, sentPhone := " "+strings.ToUpper(email[:1])+email[1:]+" ", phone[3:5]+" "+phone[5:7]+" "+phone[7:9]+" "+phone[9:]
		if i%2 != 0 {
			phone = fmt.Sprintf("+447%09d", s.rnd.IntN(999999999))
			sentEmail, sentPhone = email, "0"+phone[3:7]+" "+phone[7:]
		}
		if noContact(i) {
			sentEmail, sentPhone = "", ""
		}
		if i%2 == 0 {
			id = s.enquiry(at, first+" "+last, sentEmail, sentPhone)
		} else {
			id = s.emailLead(at, first+" "+last, sentEmail, sentPhone)
		}
		props := map[string]string{"email": email, "phone": phone, "firstname": first, "lastname": last, "lifecyclestage": "lead"}
		s.outcome(i, id, at, props)
	}
}

// outcome stores what became of lead id i: how it was mapped, and how
// its operations were synced.
func (s *sample) outcome(i int, id int64, at time.Time, props map[string]string) {
	done := at.Add(2 * time.Minute)
	switch {
	case noContact(i):
		s.unmappable(id, at)
	case i == 111: // not mapped yet
	case i == 23 || i == 80 || i == 95:
		s.op(id, "contact", "dead", "", "crm 400 INVALID_EMAIL: Email address "+props["email"]+" is invalid", done, props)
	case i > 100:
		s.op(id, "contact", "done", fmt.Sprint(50000+id), "", done, props)
		s.op(id, "deal", "pending", "", "crm 429: daily limit reached", done, map[string]string{})
	default:
		s.op(id, "contact", "done", fmt.Sprint(50000+id), "", done, props)
		s.op(id, "deal", "done", fmt.Sprint(90000+id), "", done, map[string]string{})
	}
}

// unmappable maps lead id with the shipped mapping, as the mapper would,
// and records it unmappable with the mapping's reason.
func (s *sample) unmappable(id int64, at time.Time) {
	if s.err != nil {
		return
	}
	ctx := context.Background()
	ev, err := s.db.Event(ctx, id)
	if err != nil {
		s.err = err
		return
	}
	res := s.rules.Map(ev)
	if res.State != syncd.MapUnmappable {
		s.err = fmt.Errorf("lead %d, meant unmappable: the mapping made it %s", id, res.State)
		return
	}
	s.when(at, func() { _, s.err = s.db.RecordMapping(ctx, id, res.State, res.Reason, nil) })
}

func (s *sample) enquiry(at time.Time, name, email, phone string) int64 {
	loc := 20000 + s.rnd.IntN(900)
	typ, req := "direct", loc
	if s.rnd.IntN(3) == 0 {
		typ, req = "extra", 10000+s.rnd.IntN(900)
	}
	comment := pick(s.rnd, lbText)
	if s.rnd.IntN(4) == 0 {
		comment = ""
	}
	href := func(n int) string {
		return fmt.Sprintf("https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-%d", n)
	}
	return s.event("lokalebasen", "enquiry_created", "pending", "", at, map[string]any{
		"event_type": "enquiry_created",
		"payload": map[string]any{
			"requested_location": map[string]any{"href": href(req)},
			"location":           map[string]any{"id": fmt.Sprint(loc), "external_key": fmt.Sprintf("EJ-%d", loc*7), "href": href(loc)},
			"enquiry":            map[string]any{"type": typ},
			"client":             map[string]any{"email": email, "name": name, "company": pick(s.rnd, companies), "phone": phone},
			"comment":            comment,
		},
	})
}

func (s *sample) emailLead(at time.Time, name, email, phone string) int64 {
	ref := fmt.Sprint(87000000 + s.rnd.IntN(99999))
	msg := pick(s.rnd, eafText)
	if s.rnd.IntN(4) == 0 { // about one lead in four comes without a message
		msg = ""
	}
	return s.event("eaf", "email_lead", "pending", "", at, map[string]any{
		"eaf_type": "email_lead", "eaf_id": fmt.Sprint(s.rnd.Int64()), "email_source": pick(s.rnd, portals),
		"contact_name": name, "contact_email": email, "contact_phone": phone,
		"contact_message_html": msg, "contact_message_flat": strings.ReplaceAll(msg, "<br>", " "),
		"eaf_reference": ref, "eaf_portal_reference": ref + "_EAF_67004", "eaf_date": at.Format(time.RFC3339),
	})
}
