package main

import (
	"fmt"
	"strings"
)

// This file is how a command's errors and warnings begin: with the
// command as it is typed, "syncd backup: …", "syncd outbox retry: …", the
// way git names its commands. They all began "syncd: ", and of several
// commands run from one script or cron job the mail cron sent did not say
// which one spoke. What is said before a command is known (an unknown
// command, a flag before it) keeps "syncd: ".

// who is the command c runs as an operator types it, its subcommand too
// ("syncd backup", "syncd outbox retry"), or "syncd" for no command.
func (c *cli) who() string {
	return strings.TrimSpace("syncd " + c.name)
}

// errorf writes on c.stderr one message of c's command: "syncd NAME: "
// then format's text (see said).
func (c *cli) errorf(format string, a ...any) {
	fmt.Fprintln(c.stderr, c.said(fmt.Sprintf(format, a...)))
}

// said is msg as c's command says it, "syncd NAME: msg". A msg that
// begins with the command's name itself (an error the store wrapped as
// "backup: …" or "erase: …") does not name it twice.
func (c *cli) said(msg string) string {
	if c.name != "" {
		msg = strings.TrimPrefix(msg, c.name+": ")
	}
	return c.who() + ": " + msg
}
