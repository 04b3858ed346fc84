package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/syncd-dev/syncd/internal/config"
	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// An agency may move to another account of the same CRM (a new HubSpot
// portal, another Pipedrive company) and keep its syncd database. The CRM
// ids syncd holds (crm_links) are then ids of the old account: the new
// one has none of the earlier leads, and their updates would go to ids
// that do not exist there. The daemon records the account its ids were
// made in and says when the token belongs to another; `syncd crm
// forget-links` forgets them and writes the records into the new account.

// accountStateName is the state row naming the CRM account the CRM ids of
// target were recorded in.
func accountStateName(target string) string { return "crm_account:" + target }

// accountMovedFix is what the operator is told to do when the token
// belongs to another account than the one syncd's CRM ids were made in.
// Until forget-links records this account, syncd sends nothing into it
// (pinRecorded): the fix said that running on the token before then sent
// the CRM erasures waiting into it, as it did before that pin.
const accountMovedFix = "if the agency moved to this account, stop syncd and run `syncd crm forget-links` to write the earlier leads " +
	"into it, then start syncd (until then syncd sends nothing into this account: new leads wait); " +
	"if the token is another client's, put the right one (and pin the account)"

// sayAccountMoved logs an error, once per pair of accounts, when the
// token belongs to another account than the one the CRM ids were made in.
// An account the pin (as started) sends nothing to is not said: the pin
// says so. The account is recorded by the adapter before its first write
// (pinRecorded), not here: before, the daemon's check at start recorded
// the token's account although no id was made there, and a token put
// right before the first lead was taken for a move to another account.
func (d *daemon) sayAccountMoved(ctx context.Context, acc crm.Account) {
	if _, pin := pinnedAccount(d.cfg); acc.ID == "" || (pin != "" && pin != acc.ID) {
		return
	}
	was, ok, err := d.db.StateValue(ctx, accountStateName(d.adapter.Name()))
	switch {
	case err != nil:
		d.log.Warn().Err(err).Msg("crm: read the account the crm ids were made in")
	case ok && was != "" && was != acc.ID && d.movedSaid.Swap(was+" "+acc.ID) != was+" "+acc.ID:
		d.log.Error().Str("crm", d.adapter.Name()).Str("account_id", acc.ID).Str("linked_account_id", was).
			Str("fix", accountMovedFix).
			Msgf("crm account changed: the CRM ids syncd holds were made in %s %s, the token belongs to %s %s: "+
				"the earlier leads are not in this account, and their updates are not written", acc.IDName, was, acc.IDName, acc.ID)
	}
}

// crmForgetLinks is `syncd crm forget-links`: the agency moved to another
// account of its CRM. Every CRM id and create intent syncd holds for it is
// forgotten, and every delivered operation of each contact (one per lead
// of theirs) and the newest of each deal made pending again, so that the
// next sync looks each record up in the account the token now belongs to,
// creates it there only if missing and writes the contact's leads into it
// in order, as the first time; that account is recorded as the one the
// ids are made in.
func (c *cli) crmForgetLinks(ctx context.Context, file string) int {
	return c.withStore(ctx, file, func(cfg *config.Config, db *backend) int {
		adapter := newCRM(cfg, db, commandLogger(c.stderr, "crm forget-links", "warn", clockOf(cfg)), nil)
		n, ok := adapter.(accountNamer)
		if !ok {
			fmt.Fprintf(c.stdout, "crm.kind %s: no CRM account, no CRM ids to forget\n", cfg.CRM.Kind)
			return exitOK
		}
		acc, err := n.Account(ctx)
		if err != nil { // exit 1, as crm check and setup: 4 is the database busy or unavailable
			c.errorf("the account the token belongs to cannot be read (%v): nothing forgotten; "+
				"see whether the CRM is down or cannot be reached from this host (crm.%s.base_url, DNS, a firewall or proxy), "+
				"or refuses the token (syncd crm check says which), then run it again", err, cfg.CRM.Kind)
			return exitFailure
		}
		if code, ok := c.forgetRefused(ctx, cfg, db, adapter.Name(), acc); !ok {
			return code
		}
		f, err := db.ForgetLinks(ctx, adapter.Name())
		if err == nil {
			err = db.SetStateValue(ctx, accountStateName(adapter.Name()), acc.ID)
		}
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "%s account: %s\nforgot %s and %s; %s pending again (%d of contacts, each of their leads' in order; %d of deals): "+
			"the next sync looks each record up in this account (by email, phone or lead id) and creates it only if it is missing\n",
			adapter.Name(), acc, syncd.Counted(f.Links, "CRM id", "CRM ids"), syncd.Counted(f.Intents, "create intent", "create intents"),
			syncd.Counted(f.Requeued+f.RequeuedDeals, "operation is", "operations are"),
			f.Requeued, f.RequeuedDeals)
		if f.Erasures > 0 {
			fmt.Fprintf(c.stdout, "%s waiting with the earlier account's CRM ids, which name other records, "+
				"or none, in this one: made dead, not sent, and no retry sends them (syncd outbox list -state dead shows them and "+
				"the ids): erase those people in the earlier account by hand, and in this one if they are there, then syncd "+
				"outbox give-up each one\n", syncd.Counted(f.Erasures, "CRM erasure was", "CRM erasures were"))
		}
		if who := daemonsServing(ctx, cfg, db); who != "" {
			them := "it"
			if db.cluster != nil {
				them = "each"
			}
			fmt.Fprintf(c.stdout, "%s the account it started with (paused, wrong CRM account: it sends nothing here) "+
				"until restarted: restart %s now (systemctl restart syncd)\n", who, them)
		}
		return exitOK
	})
}

// daemonsServing names the daemons serving db now, "" when none does (or
// it cannot be told): on SQLite the one holding the daemon lock, on
// PostgreSQL the instances seen lately. A daemon reads the account its CRM
// ids were made in as it starts.
func daemonsServing(ctx context.Context, cfg *config.Config, db *backend) string {
	if db.cluster != nil {
		ins, err := db.cluster.Instances(ctx, clusterSeen)
		ins = slices.DeleteFunc(ins, func(in syncd.Instance) bool { return in.Gone })
		if err == nil && len(ins) > 0 {
			return syncd.Counted(len(ins), "syncd instance runs on this database: it keeps to", "syncd instances run on this database: each keeps to")
		}
		return ""
	}
	if cfg.Store.Kind == config.StoreSQLite && sqlite.DaemonServing(cfg.DBPath()) != nil {
		return "a syncd daemon serves this database: it keeps to"
	}
	return ""
}

// forgetRefused says why the CRM ids are not forgotten, when they are not:
// the token belongs to another account than the pinned one, or to the one
// the ids were made in (forgetting them would write anew the records a
// salesperson deleted there).
func (c *cli) forgetRefused(ctx context.Context, cfg *config.Config, db *backend, target string, acc crm.Account) (int, bool) {
	key, want := pinnedAccount(cfg)
	if want != "" && want != acc.ID {
		c.errorf("the token belongs to %s, not to the pinned %s %s: nothing forgotten; "+
			"put the new account's token in the configuration and pin it (%s: %s)", acc, acc.IDName, want, key, acc.ID)
		return exitUsage, false
	}
	was, ok, err := db.StateValue(ctx, accountStateName(target))
	if err != nil {
		return c.fail(err), false
	}
	if ok && was == acc.ID { // a refusal: on stderr, as every command's errors
		fmt.Fprintf(c.stderr, "syncd crm forget-links: the token belongs to %s account %s, and the CRM ids syncd holds "+
			"were made in this account: nothing forgotten (to move to another account, put its token in the configuration first)\n",
			target, acc)
		return exitUsage, false
	}
	return 0, true
}

// printLinkedAccount adds to crm check's first line, when the database
// records that syncd's CRM ids were made in another account than acc, that
// the earlier leads are not in this one and the way to write them there.
// A database not made yet, or unreadable, says nothing.
func (c *cli) printLinkedAccount(ctx context.Context, cfg *config.Config, target string, acc crm.Account) {
	b, err := c.fieldKeyStore(ctx, cfg, storeHooks{ReadOnly: true})
	if err != nil || b == nil {
		return
	}
	defer b.Close()
	was, ok, err := b.StateValue(ctx, accountStateName(target))
	if err != nil || !ok || was == acc.ID {
		return
	}
	fmt.Fprintf(c.stdout, "%s account: the CRM ids syncd holds were made in %s %s, not in this one: the earlier leads are not here; %s\n",
		target, acc.IDName, was, accountMovedFix)
}
