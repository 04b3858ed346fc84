package main

import "fmt"

// exitMeaning is one exit status a command's -h lists, and what it means.
type exitMeaning struct {
	status int
	means  string
}

// exitHelp is the lines a command's -h ends with: its exit statuses, as
// the README's Commands table gives them, one a line.
func exitHelp(ms ...exitMeaning) []string {
	lines := []string{"exit status:"}
	for _, m := range ms {
		lines = append(lines, fmt.Sprintf("  %d  %s", m.status, m.means))
	}
	return lines
}

// statusExits are the lines of syncd status's exit statuses.
func statusExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "nothing needs attention"},
		exitMeaning{exitUsage, "bad flags, or a configuration file that does not load with no daemon found from it or by its record"},
		exitMeaning{exitAttention, "something needs attention: no daemon answering (on PostgreSQL: no instance running,\n" +
			"     one killed counted out at once, or this host's own not answering while others run, found at its listen\n" +
			"     or, its port chosen at start, by the record in its data_dir; or that record not readable by this user),\n" +
			"     the database lost, damaged or unreadable (with no daemon answering either: both said on stderr),\n" +
			"     deliveries refused (the daemon's /readyz failing: its disk full, its store failing),\n" +
			"     dead letters (not those given up by hand), operations waiting for a CRM crm.kind no longer names,\n" +
			"     an adapter paused, every CRM call failing for 30 minutes, one batch the CRM never takes,\n" +
			"     the mapping worker stuck or its mapping held, quarantined bodies waiting for a person, unmappable leads\n" +
			"     waiting for a person (not dealt with: syncd events done), a failing CRM check,\n" +
			"     a due report the daemon's runs fail to make (NOT MADE), the last report's mail failed, refused for\n" +
			"     some recipients or sent without the workbook (too large for the mail server), a rejected reload,\n" +
			"     the configuration file not loading while its daemon answers (it runs on what it loaded before),\n" +
			"     the daemon's data directory not the file's data_dir (commands run from here read another database),\n" +
			"     the configuration or mapping files changed on disk since the daemon loaded them (not reloaded),\n" +
			"     settings changed and reloaded that the daemon reads only at start (not restarted),\n" +
			"     an erasure a restored backup undid (ERASURE UNDONE), an erasure log that does not read\n" +
			"     (ERASURE LOG UNREADABLE), PostgreSQL instances whose settings differ for 10 minutes"},
	)
}

// syncExits are the lines of syncd sync's exit statuses.
func syncExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "everything due was sent, and nothing is left pending"},
		exitMeaning{exitFailure, "failed (e.g. no database)"},
		exitMeaning{exitUsage, "bad flags or an invalid configuration" + dbRefused},
		exitMeaning{exitUnavailable, "the database is busy or unavailable: try again"},
		exitMeaning{exitAttention, "a person must act: the adapter paused for a rejected token or the account's\n" +
			"     configuration, operations dead-lettered (syncd outbox list -state dead), events waiting to be mapped\n" +
			"     while the mapping files do not load (syncd validate), or, while no daemon serves\n" +
			"     the SQLite database or no instance runs on PostgreSQL, operations held by a lease or left pending:\n" +
			"     nothing sends them by itself (it says when the next is due: run syncd sync again then, or start the daemon)"},
		exitMeaning{exitCRMLater, "what is left goes out by itself, a daemon serving the database: a spent daily limit,\n" +
			"     the CRM failing, operations retried later or not due yet, or held by a lease (another syncd sends\n" +
			"     them, or one that stopped mid-send held them), or leads left to a daemon on files other than those\n" +
			"     on disk to map"},
	)
}

// crmCheckExits are the lines of syncd crm check's exit statuses.
func crmCheckExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "the account is ready for the mappings"},
		exitMeaning{exitFailure, "the check could not run to the end, or the CRM failed its reads (down, a 5xx, a limit): run it again"},
		exitMeaning{exitUsage, "the account is not ready (a row per problem), or bad flags, an invalid configuration or mappings"},
	)
}

// validateExits are the lines of syncd validate's exit statuses.
func validateExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "the files are valid and, on PostgreSQL, serve can start on the database"},
		exitMeaning{exitFailure, "serve could not start on the database for what a start again may mend (on PostgreSQL a\n" +
			"     standby taking no writes); with -mail, the mail server refused the test message"},
		exitMeaning{exitUsage, "problems in the configuration, the mappings or the examples (each listed), or bad flags;\n" +
			"     or a database serve refuses for what only a person mends: a newer schema, lost, empty, damaged, moved\n" +
			"     without its -wal, a data_dir that is a file; on PostgreSQL the DSN, or a password, role, database or\n" +
			"     rights the server refuses"},
		exitMeaning{exitUnavailable, "the database cannot be reached (host, port, server down, firewall): try again, or -offline; " +
			"with -mail, the mail server was not reached or refused the test message for now"},
	)
}

// dbRefused is what exit 2 means too for a command that opens the
// database: one serve refuses for what only a person mends (exit 2 there
// too, databaseNeedsAPerson), where a retry changes nothing.
const dbRefused = ";\n     or a database only a person mends, which serve refuses too: a newer schema, lost, empty, damaged,\n" +
	"     moved without its -wal, a data_dir that is a file, not this user's to read or write (or, open to\n" +
	"     others, to narrow), a read-only disk; on PostgreSQL the DSN, or a password, role, database or rights\n" +
	"     the server refuses"

// dbExits are the statuses every command that opens the database shares:
// 1 failed, 2 bad flags or configuration, or a database refused as serve
// refuses it (dbRefused), 4 the database busy or unavailable.
func dbExits(failed, usage string) []exitMeaning {
	return []exitMeaning{
		{exitFailure, failed},
		{exitUsage, usage + dbRefused},
		{exitUnavailable, "the database is busy or unavailable, or its disk full: try again"},
	}
}

// serveExits are the lines of syncd serve's exit statuses.
func serveExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "stopped by SIGTERM or SIGINT (systemctl stop), the deliveries in flight stored and answered"},
		exitMeaning{exitFailure, "it could not start for what a start again may mend (the address another program holds, the\n" +
			"     database busy, an error of the disk or the server: its last log line says why), or stopped on a failure"},
		exitMeaning{exitUsage, "bad flags, an invalid configuration (each problem listed), or a start refused for what only\n" +
			"     a person mends, which the units do not restart: a database of a newer schema, lost, empty where syncd\n" +
			"     kept one, moved or copied without its write-ahead log, damaged or served by another daemon; an address\n" +
			"     another agency's file beside this one names; a data_dir that is a file; files or a disk it may not\n" +
			"     write (or, open to others, narrow);\n" +
			"     on PostgreSQL a DSN, password, role, rights or database the server refuses (its last log line says what to do)"},
	)
}

// reportExits are the lines of syncd report's exit statuses.
func reportExits() []string {
	return exitHelp(append([]exitMeaning{{exitOK, "the workbook made (and with -mail, mailed to every recipient; with no report.mail.to, said not mailed)"}},
		dbExits("it failed, or with -mail the mail server refused the workbook, for some recipients or all (said once, with who got it)",
			"bad flags, an invalid configuration, a day not begun, or an -out path refused")...)...)
}

// eraseExits are the lines of syncd erase's exit statuses.
func eraseExits() []string {
	return exitHelp(append([]exitMeaning{{exitOK, "erased, or nothing held of the person (said so)"}},
		append(dbExits("it failed partway (what it did is printed: run it again to finish)",
			"bad flags, an invalid configuration, an address or number that is none, or no such event"),
			exitMeaning{exitAttention, "erased, but a person must act: the person is left in a contact the CRM merged, or the\n" +
				"     erasure log could not record it (each said, with what to do)"})...)...)
}

// exportExits are the lines of syncd export's exit statuses.
func exportExits() []string {
	return exitHelp(append([]exitMeaning{{exitOK, "exported (nothing found of the person is said so, exit 0 too)"}},
		append(dbExits("it failed", "bad flags, an invalid configuration, an -out file that exists, or no such event"),
			exitMeaning{exitAttention, "refused: the database, a restored backup, holds an erasure of the person undone (start\n" +
				"     syncd first, which erases them again), or the erasure log beside it does not read; elsewhere, exported\n" +
				"     without that log, which does not read (syncd status: ERASURE LOG UNREADABLE), what it lacks said"})...)...)
}

// plainExits are the lines of a command whose statuses are those every
// command shares: done is what 0 means for it, usage what 2 does.
func plainExits(done, usage string) []string {
	return exitHelp(append([]exitMeaning{{exitOK, done}}, dbExits("it failed", usage)...)...)
}

// replayExits are the lines of syncd replay's exit statuses.
func replayExits() []string {
	return exitHelp(append([]exitMeaning{{exitOK, "replayed (or, with -dry-run, shown)"}},
		append(dbExits("it failed", "bad flags or an invalid configuration or mappings"),
			exitMeaning{exitAttention, "the database refused to store some leads' new operations (each named): mend it and\n" +
				"     replay again, or enter those leads by hand"})...)...)
}

// migrateStoreExits are the lines of syncd migrate-store's exit statuses.
func migrateStoreExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "copied, or copied before and the SQLite database holds nothing the copy did not bring"},
		exitMeaning{exitFailure, "it failed (the copy is all or nothing: nothing copied), or no SQLite database there"},
		exitMeaning{exitUsage, "bad flags, a configuration whose store is not postgres, a PostgreSQL database that holds\n" +
			"     leads already, or an SQLite database changed since its copy (it says what to do)"},
		exitMeaning{exitUnavailable, "a daemon serves the SQLite database (stop it first), or a database busy or unreachable: try again"},
	)
}

// listExits are the lines of a listing's exit statuses (events list,
// outbox list): usage is what 2 means for it.
func listExits(usage string) []string {
	return plainExits("listed (an empty listing too)", usage)
}

// showExits are the lines of the exit statuses of a command that shows
// one record by its ID (events show, outbox show); lists is the command
// that lists the IDs.
func showExits(lists string) []string {
	return idExits("shown", "it failed", "bad flags, an invalid configuration, or an ID that is not a number", "no such ID held ("+lists+" lists them)")
}

// idExits are the lines of the exit statuses of a command that takes
// records by their IDs: done is what 0 means for it, failed 1, usage 2
// and notFound 3.
func idExits(done, failed, usage, notFound string) []string {
	return exitHelp(
		exitMeaning{exitOK, done},
		exitMeaning{exitFailure, failed},
		exitMeaning{exitUsage, usage + dbRefused},
		exitMeaning{exitNotFound, notFound},
		exitMeaning{exitUnavailable, "the database is busy or unavailable, or its disk full: try again"},
	)
}

// eachID is the line the statuses of a command that takes several IDs
// end with: each is taken on its own.
const eachID = "each ID given is taken on its own: the status is that of the last one refused or failed"

// repairExits are the lines of syncd events repair's exit statuses.
func repairExits() []string {
	return idExits("repaired: stored as an event, which the mapping worker (or syncd replay) maps",
		"it failed, the corrected copy's file does not read, or the body was erased (its person asked to be forgotten)",
		"bad flags, an invalid configuration, an ID that is not a number, a body repaired already, or a copy that\n"+
			"     does not read, does not fit the source or lacks the id the body has (each said): nothing stored",
		"no such quarantined body held (syncd events list -quarantined lists them)")
}

// dismissExits are the lines of syncd events dismiss's exit statuses.
func dismissExits() []string {
	return append(idExits("dismissed (one dismissed already is said so), or with -all or -before those waiting (none is said so)",
		"it failed",
		"bad flags, an invalid configuration, an ID that is not a number, or a body that reads as a lead, left\n"+
			"     waiting (-changed dismisses a changed delivery all the same)",
		"no such quarantined body held (syncd events list -quarantined lists them)"), eachID)
}

// doneExits are the lines of syncd events done's exit statuses.
func doneExits() []string {
	return append(idExits("recorded (one recorded already is said so), or with -all or -before those waiting (none is said so)",
		"it failed",
		"bad flags, an invalid configuration, an ID that is not a number, or an event that is not an unmappable\n"+
			"     lead, or whose body was erased or purged",
		"no such event held (syncd events list lists them)"), eachID)
}

// retryExits are the lines of syncd outbox retry's exit statuses.
func retryExits() []string {
	return append(idExits("pending again (with -all-dead, every dead one not given up by hand, however many: said)",
		"it failed",
		"bad flags, an invalid configuration, an ID that is not a number, an operation for a CRM crm.kind no\n"+
			"     longer names (syncd outbox drop), or a CRM erasure of the account before syncd crm forget-links",
		"no such operation held, or one not dead: pending (it is sent by itself) or done (each said)"), eachID)
}

// giveUpExits are the lines of syncd outbox give-up's exit statuses.
func giveUpExits() []string {
	return append(idExits("given up: dead, its last error kept (a dead letter: recorded as dealt with by hand in the CRM)",
		"it failed",
		"bad flags, an invalid configuration, an ID that is not a number, or an operation for a CRM crm.kind\n"+
			"     no longer names (syncd outbox drop drops those)",
		"no such operation held, or one done, given up already, being sent now or changed meanwhile (each said)"), eachID)
}

// dropExits are the lines of syncd outbox drop's exit statuses.
func dropExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "dropped (with -dry-run: what would be, said), and with -remap their events mapped"},
		exitMeaning{exitFailure, "it failed"},
		exitMeaning{exitUsage, "bad flags, an invalid configuration, -crm the configured CRM, or with -remap mappings that do not load\n" +
			"     (nothing dropped)"},
		exitMeaning{exitNotFound, "no operation waits for that CRM (the CRMs some wait for are named)"},
		exitMeaning{exitUnavailable, "the database is busy or unavailable, or its disk full: try again"},
		exitMeaning{exitAttention, "with -remap, the database refused to store some leads' new operations (each named)"},
	)
}

// mapExits are the lines of syncd map's exit statuses.
func mapExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "the operations the payload would produce shown (or that no rule is for it)"},
		exitMeaning{exitFailure, "the file does not read"},
		exitMeaning{exitUsage, "bad flags, an invalid configuration or mappings, no such source, or a payload that does not fit\n" +
			"     the source's kind or that its intake would quarantine (not JSON, ...: said)"},
		exitMeaning{exitAttention, "a rule takes the payload but cannot map it (the reason is printed): such a lead would wait for a\n" +
			"     person, never reaching the CRM"},
	)
}

// crmSetupExits are the lines of syncd crm setup's exit statuses.
func crmSetupExits() []string {
	return exitHelp(
		exitMeaning{exitOK, "done: the account has what the mappings write (with -dry-run: what would be made, said;\n" +
			"     with crm.kind dryrun: no account to set up)"},
		exitMeaning{exitFailure, "the CRM was not reached or refused a call (down, a refused token, a spent limit: said, with what\n" +
			"     was made before): run it again"},
		exitMeaning{exitUsage, "not done: rows syncd cannot create or fix (do what each says), a token of another account than\n" +
			"     the pinned one, or bad flags, an invalid configuration or mappings"},
	)
}

// forgetLinksExits are the lines of syncd crm forget-links's exit statuses.
func forgetLinksExits() []string {
	return exitHelp(append([]exitMeaning{{exitOK, "forgotten (with crm.kind dryrun: no CRM ids to forget)"}},
		dbExits("it failed, or the account the token belongs to could not be read: nothing forgotten",
			"bad flags, an invalid configuration, or a token of another account than the pinned one, or of the one the\n"+
				"     CRM ids were made in (nothing moved): nothing forgotten")...)...)
}
