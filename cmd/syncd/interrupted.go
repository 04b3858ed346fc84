package main

import "cmp"

// interruptedLeaves says, by command, what a command stopped by Ctrl-C or
// SIGTERM (its context cancelled) leaves: Go's "context canceled" told an
// operator neither.
var interruptedLeaves = map[string]string{
	"backup": "interrupted: no copy written",
	"report": "interrupted: no workbook written",
	"replay": "interrupted before the end: run it again to finish (it never enqueues an operation already in the outbox)",
	"purge":  "interrupted before the end: run it again to finish",
	"export": "interrupted: nothing exported",
	// The copy is one transaction: rolled back, it leaves no row behind.
	"migrate-store": "interrupted: nothing copied (the copy is all or nothing): run it again",
}

// interrupted is what c's command says when it was interrupted.
func (c *cli) interrupted() string {
	return c.said(cmp.Or(interruptedLeaves[c.name], "interrupted before the end"))
}
