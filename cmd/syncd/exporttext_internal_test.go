package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestExportTextSaysEveryValueTheJSONHolds writes one person's export,
// with a distinct value in every field, as JSON and as text, and looks
// for each of the JSON's values in the text (a time as the text shows
// it). The text left out the CRM create intents, the keys (the person's
// email) of the CRM operations and links, the erasures' create intents
// and keyed hash, and the enquiries' last delivery and mapping state and
// error. Two fields are said in words instead: an operation's and an
// enquiry's state, and an unreadable body's exact bytes (body_base64),
// for a program; and what is not included, which the JSON says to the
// operator in its own terms ("the records crm_links name", "report.mail.to
// (reports with mailed_at)", "syncd report -out", "debug", "the person"),
// the text said in those words to the person: it now says it to them.
func TestExportTextSaysEveryValueTheJSONHolds(t *testing.T) {
	t.Parallel()
	at := func(min int) time.Time { return time.Date(2026, 11, 30, 9, min, 0, 0, time.UTC) }
	mailed, doneAt := at(9), at(12)
	out := personExport{Subject: "kim@example.com", ExportedAt: at(1),
		Events: []exportEvent{
			{ID: 101, Source: "eaf", Type: "email_lead", DeliveryID: "77722226661727188822717", ReceivedAt: at(2), LastDeliveryAt: at(3), Deliveries: 2,
				MapState: syncd.MapUnmappable, MapError: "contact: no email or phone in x_field", Payload: json.RawMessage(`{"contact_name":"Kim Berg"}`)},
			{ID: 102, Source: "lokalebasen", Type: "enquiry_created", ReceivedAt: at(4), LastDeliveryAt: at(4), Deliveries: 1,
				MapState: syncd.MapMapped, PayloadGone: "dropped by the retention purge at 2026-11-30"},
		},
		Quarantined: []exportQuarantine{{ID: 103, Source: "eaf", ReceivedAt: at(5), Reason: "not JSON: line 1", Body: "{kim\uFFFD", BodyBase64: "e2tpbek="}},
		Operations: []exportOp{{ID: 104, EventID: 102, Target: "hubspot", Kind: syncd.RecordContact, Key: "kim@example.com", State: syncd.OpDead,
			CRMID: "9001", Properties: map[string]string{"firstname": "Kim"}, LastError: "INVALID_EMAIL", UpdatedAt: at(6)},
			{ID: 105, EventID: 102, Target: "pipedrive", Kind: syncd.RecordDeal, Key: "lb:4711", State: syncd.OpPending, UpdatedAt: at(7)}},
		Links:   []syncd.Link{{Target: "hubspot", Kind: syncd.RecordContact, Key: "+4522334455", CRMID: "9002"}},
		Intents: []syncd.Intent{{Target: "pipedrive", Kind: syncd.RecordContact, Key: "kim@example.com", SentAt: at(8)}},
		Reports: []exportReport{{Day: "2026-11-29", Path: "/var/lib/syncd/reports/2026-11-29.xlsx", MailedAt: &mailed}},
		Backups: []madeBackup{{Path: "/backup/syncd.db", TakenAt: at(10)}},
		Erasures: []exportErasure{{At: at(11), SubjectHash: "5e1f00d", Events: 21, Quarantined: 22, Ops: 23, Links: 24, Intents: 25, CRMErase: 26,
			CRMSent:  &crmEraseSent{Target: "hubspot", Done: 27, DoneAt: &doneAt, Pending: 28, Dead: 29, DeadOps: []int64{130}, NotHeld: 31},
			OfOthers: &exportOthers{Events: 32, Quarantined: 33, Ops: 34, Counted: true}}},
	}
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone = "hubspot", "Europe/Copenhagen"
	cfg.Report.Mail.To = []string{"staff@agency.example"}
	out.NotIncluded = notIncluded(cfg, out) // as exportPerson makes it
	var b bytes.Buffer
	if err := writeExportText(&b, out, cfg); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	js, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	inWords := map[string]bool{"map_state": true, "state": true, "body_base64": true, "not_included": true, "no_longer_held_why": true,
		"dead_cause": true}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !inWords[k] {
					walk(path+"."+k, x)
				}
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		case string:
			want := v
			if tm, err := time.Parse(time.RFC3339Nano, v); err == nil {
				want = clockOf(cfg).show(tm)
			}
			if !strings.Contains(text, want) {
				t.Errorf("the text lacks %s, %q", path, want)
			}
		case float64:
			if want := fmt.Sprint(v); !strings.Contains(text, want) {
				t.Errorf("the text lacks %s, %s", path, want)
			}
		}
	}
	walk("", doc)
	for _, want := range []string{"could not be made into records for the CRM: contact: no email or phone in x_field",
		"a deal for the enquiry of event 102 (its reference, also on the deal in the CRM: lb:4711) in pipedrive, waiting to be sent", "are not text and show as \uFFFD here",
		// What "CRM" is, and what the numbers are, said once to a person
		// who knows neither: it said "the agency's CRM (hubspot)" alone.
		"the agency's customer\ndatabase (its CRM, hubspot)", "Numbers such as \"event 2\" or \"operation 3\" are syncd's references"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	for _, want := range []string{"what the agency's CRM, hubspot, holds on you now", "the daily reports mailed to the agency's staff",
		"made other than by syncd itself", "syncd's detailed log"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text's not included lacks %q", want)
		}
	}
	for _, jargon := range []string{"crm_links", "report.mail.to", "mailed_at", "report -out", "syncd backup", "Litestream", "the person", "debug", "journal"} {
		if strings.Contains(text, jargon) {
			t.Errorf("the text for the person says %q, words of the JSON or of syncd's operator", jargon)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// TestExportTextSaysOneDayInTheSingular: the text for the person, under a
// retention of one day, said "1 days after they were last delivered".
func TestExportTextSaysOneDayInTheSingular(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone, cfg.Report.KeepDays = "hubspot", "UTC", 1
	cfg.Retention = config.Retention{EventDays: 1, QuarantineDays: 1, OutboxDays: 1, LinkDays: 1, ErasureDays: 1}
	var b bytes.Buffer
	if err := writeExportText(&b, newPersonExport("kim@example.com", time.Now(), time.UTC, syncd.PersonData{}), cfg); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"  - enquiries: until they are sent to the CRM, then 1 day after they were sent or the CRM refused them " +
		"(1 day after they were received when syncd sends them nowhere)\n", "  - enquiries syncd could not read: 1 day after they were last delivered\n",
		"  - daily reports: 1 day after the day they list\n", "with a keyed hash of the email or phone it erased for 1 day\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
}

// TestExportTextOfAnEnquiryWithoutATypeSaysNoQuotes: an enquiry whose body
// named no type of event was told to the person as `from Lokalebasen ("",
// event 1)`: the empty type quoted. It is said without one.
func TestExportTextOfAnEnquiryWithoutATypeSaysNoQuotes(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone = "hubspot", "UTC"
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	out := newPersonExport("kim@example.com", at, time.UTC, syncd.PersonData{})
	out.Events = []exportEvent{{ID: 1, Source: "lokalebasen", ReceivedAt: at, LastDeliveryAt: at, Deliveries: 1, MapState: syncd.MapMapped}}
	var b bytes.Buffer
	if err := writeExportText(&b, out, cfg); err != nil {
		t.Fatal(err)
	}
	if text := b.String(); !strings.Contains(text, " (event 1), delivered 1 time") || strings.Contains(text, `""`) {
		t.Errorf("an enquiry without a type:\n%s", text)
	}
}

// TestExportTextSaysWhySyncdStoppedAnOperation: the text for the person
// said "not sent (the CRM refused it)" of an operation the agency's staff
// gave up and of a deal whose contact could not be sent, "sent" of one
// whose record was deleted in the CRM since, and "the CRM answered: crm
// NETWORK: ... connection refused" of a lead waiting while the CRM could
// not be reached. Each now says what happened.
func TestExportTextSaysWhySyncdStoppedAnOperation(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	op := func(id int64, kind syncd.RecordKind, state syncd.OpState, cause syncd.DeadCause, lastErr string) syncd.Op {
		return syncd.Op{ID: id, EventID: 1, Target: "hubspot", Kind: kind, Key: fmt.Sprintf("k%d", id), State: state,
			DeadCause: cause, LastError: lastErr, UpdatedAt: at}
	}
	pd := syncd.PersonData{Ops: []syncd.Op{
		op(1, syncd.RecordContact, syncd.OpPending, "", "crm NETWORK: dial tcp 127.0.0.1:1: connect: connection refused"),
		op(2, syncd.RecordContact, syncd.OpDead, syncd.DeadGivenUp, "crm 400 INVALID_EMAIL: kim@example"),
		op(3, syncd.RecordDeal, syncd.OpDead, syncd.DeadNoContact, ""),
		op(4, syncd.RecordContact, syncd.OpDone, syncd.DoneDeletedInCRM, ""),
		op(5, syncd.RecordContact, syncd.OpDead, "", "crm 400 INVALID_EMAIL: kim@example"),
	}}
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone = "hubspot", "UTC"
	var b bytes.Buffer
	if err := writeExportText(&b, newPersonExport("kim@example.com", at, time.UTC, pd), cfg); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"  1. a contact for k1, waiting to be sent, last changed at 2026-11-30 09:00:00 +00:00 (operation 1, from event 1)\n" +
			"     the last attempt to send it failed: crm NETWORK: dial tcp",
		"  2. a contact for k2, not sent (the agency's staff stopped it) at 2026-11-30 09:00:00 +00:00 (operation 2, from event 1)\n" +
			"     the last attempt to send it failed: crm 400 INVALID_EMAIL",
		"  3. a deal for the enquiry of event 1 (its reference, also on the deal in the CRM: k3), not sent (the contact it belongs to could not be sent) at ",
		"  4. a contact for k4, sent (the record was deleted in the CRM since) at ",
		"  5. a contact for k5, not sent (the CRM refused it) at 2026-11-30 09:00:00 +00:00 (operation 5, from event 1)\n" +
			"     the CRM answered: crm 400 INVALID_EMAIL",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
}

// TestExportTextNamesADealByItsEnquiry: the text for the person named each
// deal "a deal with the key lokalebasen:sha256:3bf0...", a string they
// could not tell the meaning of, nor which of their enquiries it was for.
// A deal is now named by the enquiry it is for, where the export holds
// its operation, its reference said to be that enquiry's, also on the
// deal in the CRM; a linked deal whose operation is gone, as a deal for an
// enquiry.
func TestExportTextNamesADealByItsEnquiry(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	key, old := "lokalebasen:sha256:3bf0aff0931d", "lokalebasen:sha256:77aa01"
	pd := syncd.PersonData{
		Ops: []syncd.Op{{ID: 7, EventID: 3, Target: "hubspot", Kind: syncd.RecordDeal, Key: key, State: syncd.OpDone, CRMID: "1005", UpdatedAt: at}},
		Links: []syncd.Link{{Target: "hubspot", Kind: syncd.RecordDeal, Key: key, CRMID: "1005"},
			{Target: "hubspot", Kind: syncd.RecordDeal, Key: old, CRMID: "1001"}},
	}
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.Report.TimeZone = "hubspot", "UTC"
	var b bytes.Buffer
	if err := writeExportText(&b, newPersonExport("kim@example.com", at, time.UTC, pd), cfg); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"  1. a deal for the enquiry of event 3 (its reference, also on the deal in the CRM: " + key + "), sent at ",
		"  - a deal for the enquiry of event 3 (its reference, also on the deal in the CRM: " + key + "): id 1005 in hubspot",
		"  - a deal for an enquiry (its reference, also on the deal in the CRM: " + old + "): id 1001 in hubspot",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "with the key") {
		t.Errorf("the text names a deal by its key alone:\n%s", text)
	}
}
