package main

// This file says which HubSpot contacts of a person may hold deals syncd
// no longer knows: a deal's CRM link names the contact it was made for
// (crm_links.contact_key), by which erase finds the deals of leads whose
// operations the retention deleted, but the links recorded before syncd
// kept it (schema 18) name none, and of those whose operations were
// deleted before the upgrade nothing tells syncd whose they are; HubSpot's
// contract gives no read of a contact's deals. Pipedrive's erase lists the
// person's deals itself.

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// oldContact is a HubSpot contact of the person linked before the
// retention's horizon on CRM operations.
type oldContact struct {
	id       string
	recorded time.Time
}

// stateDealLinksUnkeyed is the state row the migration that keyed deal
// links by their contact (SQLite's 0018, PostgreSQL's 0016) writes when
// it left some without (their operations deleted already): when it ran.
const stateDealLinksUnkeyed = "deal_links_unkeyed"

// dealLinksKeyedSince is when the database began to record each deal
// link's contact, the deal links before it left without; zero when every
// deal link names its contact (nothing to say), or it cannot be read.
func dealLinksKeyedSince(ctx context.Context, db interface {
	StateValue(ctx context.Context, name string) (string, bool, error)
}) time.Time {
	v, ok, err := db.StateValue(ctx, stateDealLinksUnkeyed)
	if err != nil || !ok {
		return time.Time{}
	}
	at, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return at
}

// oldHubSpotContacts returns the HubSpot contacts of links recorded more
// than retention.outbox_days before keyedSince (or now, if earlier),
// each once (by CRM id, the earliest link): the operations of the leads
// that made them, and of the deals those leads made, may have been
// deleted before deal links named their contact, and with them what tells
// syncd which deals are the person's. None when keyedSince is zero (every
// deal link names its contact) or the outbox keeps operations for ever.
func oldHubSpotContacts(cfg *config.Config, links []syncd.Link, now, keyedSince time.Time) []oldContact {
	days := cfg.Retention.OutboxDays
	if days <= 0 || keyedSince.IsZero() {
		return nil
	}
	if keyedSince.Before(now) {
		now = keyedSince
	}
	cut := now.AddDate(0, 0, -days)
	var out []oldContact
	for _, l := range links {
		if l.Target != hubspot.Name || l.Kind != syncd.RecordContact || l.RecordedAt.IsZero() || !l.RecordedAt.Before(cut) {
			continue
		}
		i := slices.IndexFunc(out, func(c oldContact) bool { return c.id == l.CRMID })
		if i < 0 {
			out = append(out, oldContact{id: l.CRMID, recorded: l.RecordedAt})
		} else if l.RecordedAt.Before(out[i].recorded) {
			out[i].recorded = l.RecordedAt
		}
	}
	slices.SortFunc(out, func(a, b oldContact) int { return a.recorded.Compare(b.recorded) })
	return out
}

// olderDealsSaid tells, after the erase of links (at now), of each HubSpot
// contact of the person linked before the retention dropped the
// operations of their first leads, before deal links named their contact
// (keyedSince; zero: none to tell): it may hold deals of those leads that
// syncd no longer knows and the erase does not delete, which hold the
// person's name and message. With -crm (inCRM) the erase deletes the
// contact (at once, and by the erasure it queues), not those deals: the
// operator finds them by the person's name (export, run before, names the
// contact while it holds them). A contact -crm left (kept: a merge with
// someone else, or holding someone else's email or phone) still lists
// them, beside the others' deals.
func olderDealsSaid(w io.Writer, cfg *config.Config, links []syncd.Link, now, keyedSince time.Time, inCRM bool, kept map[string]bool) {
	prop := cfg.CRM.HubSpot.LeadIDProperty
	for _, c := range oldHubSpotContacts(cfg, links, now, keyedSince) {
		todo := fmt.Sprintf("erase was not given -crm: in HubSpot open contact %s and delete its deals that have %s set", c.id, prop)
		switch {
		case inCRM && kept[c.id]:
			todo = fmt.Sprintf("-crm did not delete contact %s (CRM NOT ERASED above), which still lists them beside the deals of "+
				"whoever else it holds: in HubSpot open it and delete the person's deals among them that have %s set", c.id, prop)
		case inCRM:
			todo = fmt.Sprintf("-crm deletes contact %s, which then no longer lists them: in HubSpot search the deals for the "+
				"person's name and delete those that have %s set (syncd export, run before erase, names the contact while it "+
				"holds them)", c.id, prop)
		}
		fmt.Fprintf(w, "older deals: %s contact %s was linked at %s, more than retention.outbox_days (%d) before syncd recorded "+
			"each deal's contact: it may hold deals of the person's earlier leads whose operations the retention dropped before "+
			"then, which syncd no longer knows and this erase does not delete (they hold the person's name and message); %s\n",
			hubspot.Name, c.id, clockOf(cfg).show(c.recorded), cfg.Retention.OutboxDays, todo)
	}
}

// olderDealsMissing is the export's word on the same contacts
// (olderDealsSaid): deals the export cannot name.
func olderDealsMissing(cfg *config.Config, links []syncd.Link, now, keyedSince time.Time) []missingCopy {
	var out []missingCopy
	for _, c := range oldHubSpotContacts(cfg, links, now, keyedSince) {
		out = append(out, missingCopy{
			fmt.Sprintf("deals in %s of the person's leads whose operations retention.outbox_days (%d) dropped: contact %s, "+
				"linked at %s, may hold some that crm_links no longer names: open it in HubSpot, its deals that have %s set",
				hubspot.Name, cfg.Retention.OutboxDays, c.id, clockOf(cfg).show(c.recorded), cfg.CRM.HubSpot.LeadIDProperty),
			fmt.Sprintf("records of your earlier enquiries in the agency's CRM, %s, that syncd no longer keeps track of: "+
				"the agency finds them under your record there", hubspot.Name)})
	}
	return out
}
