package storetest

import "github.com/syncd-dev/syncd/internal/syncd"

// OldMailRow is a report's mail as a syncd before the mail note fields
// recorded it, its state and error text alone, and the note the stores'
// migration reads from it (each store's upgrade test).
type OldMailRow struct {
	Day   string
	State syncd.MailState
	Text  string
	Want  syncd.MailNote
}

// OldMailRows are the forms the old code wrote: refusals (and the form
// before them), sent without the workbook, both, held for a server that
// did not take it, and the rest, which say none.
var OldMailRows = []OldMailRow{
	{"2026-01-01", syncd.MailSent, "refused for 2 recipient(s): a@x.dk (550 no); b@x.dk (553 bad)",
		syncd.MailNote{Refused: 2, RefusedWho: "a@x.dk (550 no); b@x.dk (553 bad)"}},
	{"2026-01-02", syncd.MailSent, "mail smtp.x.dk:587: sent to 1 of 3 recipients: smtp command failed: 550 no",
		syncd.MailNote{Refused: 2, RefusedWho: "mail smtp.x.dk:587: sent to 1 of 3 recipients: smtp command failed: 550 no"}},
	{"2026-01-03", syncd.MailSent, "sent without the workbook: too large (30 MB); it is kept at /r/c.xlsx",
		syncd.MailNote{Unattached: "too large (30 MB); it is kept at /r/c.xlsx"}},
	{"2026-01-04", syncd.MailSent,
		"refused for 1 recipient(s): d@x.dk (550 no)\nsent without the workbook: too large; it is kept at /r/d.xlsx",
		syncd.MailNote{Refused: 1, RefusedWho: "d@x.dk (550 no)", Unattached: "too large; it is kept at /r/d.xlsx"}},
	{"2026-01-05", syncd.MailPending, "the mail server did not take it in 5 attempt(s): mail 127.0.0.1:25: connection refused",
		syncd.MailNote{Held: true}},
	{"2026-01-06", syncd.MailPending, "mail smtp.x.dk:587: 451 try later", syncd.MailNote{}},
	{"2026-01-07", syncd.MailFailed, "refused for 2 recipient(s): a@x.dk (550 no)", syncd.MailNote{}},
	{"2026-01-08", syncd.MailSent, "", syncd.MailNote{}},
	{"2026-01-09", syncd.MailSent, "mail smtp.x.dk:587: partly", syncd.MailNote{Refused: 1, RefusedWho: "mail smtp.x.dk:587: partly"}},
	{"2026-01-10", syncd.MailPending, "the mail server did not take it in 0 attempt(s): x", syncd.MailNote{}},
}
