package syncer_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// broker is the email twenty leads share (a broker's, an agency's own).
const broker = "broker@agency.dk"

// brokerPhone is the phone of lead i, its client's.
func brokerPhone(i int) string { return fmt.Sprintf("+4520000%03d", i) }

// enqueueBrokerLeads enqueues leads [from, to) for target, each with the
// broker's email as its contact and its client's phone; lead 5 alone
// gives a job title, and each a company of its own.
func enqueueBrokerLeads(t *testing.T, r *rig, target string, from, to int) {
	t.Helper()
	enqueueLeadsWith(t, r.db, target, from, to, func(i int, c, d *syncd.Op) {
		c.Key, c.KeyKind, d.ContactKey = broker, syncd.KeyEmail, broker
		c.Properties["email"], c.Properties["phone"] = broker, brokerPhone(i)
		c.Properties["company"] = fmt.Sprint("Client company ", i)
		if i == 5 {
			c.Properties["jobtitle"] = "Agent"
		}
	})
}

// brokerOps are the contact ops of the broker, each checked done with id.
func brokerOps(t *testing.T, r *rig, n int, id string) {
	t.Helper()
	var done int
	for _, op := range allOps(t, r.db) {
		if op.Kind != syncd.RecordContact {
			continue
		}
		if op.State != syncd.OpDone || op.CRMID != id || op.CRMID == "" {
			t.Fatalf("contact op %d: %s with CRM id %q; want done with %q", op.ID, op.State, op.CRMID, id)
		}
		done++
	}
	if done != n {
		t.Fatalf("%d contact ops done; want %d", done, n)
	}
}

// TestHubSpotOneContactsUpdatesSentAsOne: twenty leads of one email are
// one upsert of their contact, which ends as sending them one after
// another leaves it (the last phone and company, the job title only one
// gave), every one of its operations done with its id, and the deals
// after it. Before, each update went in a batch of its own: 20 upserts.
func TestHubSpotOneContactsUpdatesSentAsOne(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	enqueueBrokerLeads(t, r, hubspot.Name, 0, 20)
	r.drain(t, 5)
	r.check(t)
	if n := r.srv.CountRequests(http.MethodPost, contactsUpsert, 0); n != 1 {
		t.Fatalf("%d contact upserts; want 1", n)
	}
	rs := r.srv.State().ContactsByEmail[broker]
	if len(rs) != 1 {
		t.Fatalf("CRM holds %+v for the broker", rs)
	}
	p := rs[0].Properties
	if p["phone"] != brokerPhone(19) || p["company"] != "Client company 19" || p["jobtitle"] != "Agent" {
		t.Fatalf("contact properties %v; want the last phone and company, and the job title", p)
	}
	brokerOps(t, r, 20, rs[0].ID)
	if deals := r.srv.State().Deals; len(deals) != 20 {
		t.Fatalf("%d deals", len(deals))
	}
}

// TestPipedriveOneContactsUpdatesSentAsOne: the same twenty leads to
// Pipedrive, the phone written with add: one person written once, with
// every client's phone in the leads' order, as sending them one after
// another adds them. Before, one write each: a create and 19 updates.
func TestPipedriveOneContactsUpdatesSentAsOne(t *testing.T) {
	t.Parallel()
	r := pipedriveRig(t, crmfake.Options{}, func(o *pipedrive.Options) {
		o.Modes = syncd.WriteModes{syncd.RecordContact: {"phone": syncd.WriteAdd}}
	})
	r.srv.AddField("person", crmfake.Field{Name: "company", Type: "varchar"})
	r.srv.AddField("person", crmfake.Field{Name: "jobtitle", Type: "varchar"})
	enqueueBrokerLeads(t, r, pipedrive.Name, 0, 20)
	r.drain(t, 5)
	r.check(t)
	var writes int
	for _, q := range r.srv.Requests() {
		if strings.Contains(q.Path, "/persons") && q.Method != http.MethodGet {
			writes++
		}
	}
	if writes != 1 {
		t.Fatalf("%d writes of persons; want 1", writes)
	}
	rs := r.srv.State().ContactsByEmail[broker]
	if len(rs) != 1 {
		t.Fatalf("CRM holds %+v for the broker", rs)
	}
	var want []string
	for i := range 20 {
		want = append(want, brokerPhone(i))
	}
	if !slices.Equal(rs[0].Phones, want) {
		t.Fatalf("person's phones %v; want every lead's, in order %v", rs[0].Phones, want)
	}
	var values []string // the custom fields', by their keys
	for _, v := range rs[0].Properties {
		values = append(values, v)
	}
	if !slices.Contains(values, "Client company 19") || !slices.Contains(values, "Agent") {
		t.Fatalf("person properties %v; want the last company, and the job title", rs[0].Properties)
	}
	brokerOps(t, r, 20, rs[0].ID)
}

// TestOneContactsUpdatesDieTogether: a contact's updates written as one
// finish as one: the oldest, out of attempts, dies, and the two enqueued
// after it, at their first attempt, die with it rather than being written
// later on their own, after it.
func TestOneContactsUpdatesDieTogether(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, func(o *syncer.Options) { o.MaxAttempts = 2 })
	r.srv.AddFault(crmfake.Fault{Method: http.MethodPost, Path: contactsUpsert, Action: crmfake.ActError, Status: 500})
	enqueueBrokerLeads(t, r, hubspot.Name, 0, 1)
	if _, err := r.s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	enqueueBrokerLeads(t, r, hubspot.Name, 1, 3)
	r.clk.Advance(time.Hour) // past the cool-down
	sum, err := r.s.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, op := range allOps(t, r.db) {
		if op.Kind == syncd.RecordContact {
			states = append(states, fmt.Sprintf("%s after %d", op.State, op.Attempts))
		}
	}
	if fmt.Sprint(states) != "[dead after 2 dead after 1 dead after 1]" || sum.Dead != 3 {
		t.Fatalf("the contact's updates: %v (%d counted dead); want all three dead", states, sum.Dead)
	}
}
