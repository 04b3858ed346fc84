package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/syncd-dev/syncd/internal/syncd"

	"github.com/mattn/go-isatty"
)

// readBodyFile reads the payload file name a command was given (map's
// FILE.json, events repair's corrected copy), or all of standard input
// when name is "-", as -email - reads it for erase and export: a body
// piped from curl or from events show -quarantined -body needs no file.
// On a terminal it says, on stderr, how to end the input. An interrupt
// while it waits ends the wait: the error wraps ctx's.
func (c *cli) readBodyFile(ctx context.Context, name string) ([]byte, error) {
	if name != "-" {
		return os.ReadFile(name)
	}
	if c.stdin == nil {
		return nil, fmt.Errorf("no standard input to read the body from")
	}
	if in, ok := c.stdin.(*os.File); ok && isatty.IsTerminal(in.Fd()) {
		fmt.Fprintln(c.stderr, "reading the body from standard input: paste it, then press Ctrl-D on a line of its own")
	}
	body, err := untilDone(ctx, func() ([]byte, error) { return io.ReadAll(c.stdin) })
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("interrupted before standard input ended: %w", ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	return body, nil
}

// bodyFileName is how a message names the body read from name: the file,
// or "the body read from standard input" for "-".
func bodyFileName(name string) string {
	if name == "-" {
		return "the body read from standard input"
	}
	return name
}

// copyUnread says that the corrected copy of quarantined body q did not
// read (err) and where the body it corrects is: shown as it came while it
// is held, else what became of it (dismissed, purged), so the copy is
// made from the sender's own record.
func (c *cli) copyUnread(clk clock, q syncd.Quarantine, err error) {
	where := fmt.Sprintf("syncd events show -quarantined %d shows it as it came", q.ID)
	if len(q.Body) == 0 {
		where = fmt.Sprintf("its body as it came is no longer kept, %s: make the copy from the sender's own record of "+
			"the lead", quarantineGone(q).say(clk))
	}
	fmt.Fprintf(c.stderr, "syncd events repair: the corrected copy does not read: %v; nothing stored: give the file of "+
		"the body as it should have come (%s)\n", err, where)
}
