package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressShowsCountRateAndTimeLeft(t *testing.T) {
	t.Parallel()
	var term bytes.Buffer
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	p := &progress{w: &term, what: "replay", total: 1000, now: func() time.Time { return now }, start: now}
	now = now.Add(2 * time.Second)
	p.add(200)
	if got := term.String(); got != "\r\033[Kreplay: 200/1000, 100/s, 8s left" {
		t.Errorf("line = %q", got)
	}
	p.add(1) // within progressEvery: not redrawn
	if strings.Count(term.String(), "\r") != 1 {
		t.Errorf("redrawn too often: %q", term.String())
	}
	var out bytes.Buffer
	p.over(&out).Write([]byte("event 7 changed\n"))
	if !strings.HasSuffix(term.String(), "\r\033[K") || out.String() != "event 7 changed\n" {
		t.Errorf("own output not on a clean line: term %q out %q", term.String(), out.String())
	}
}

func TestProgressIsQuietOffATerminal(t *testing.T) {
	t.Parallel()
	var stderr, stdout bytes.Buffer
	c := &cli{stderr: &stderr, stdout: &stdout}
	p := c.newProgress("sync", 10)
	p.add(5)
	p.over(&stdout).Write([]byte("done\n"))
	p.finish()
	if stderr.Len() != 0 || stdout.String() != "done\n" {
		t.Errorf("progress off a terminal wrote %q / %q", stderr.String(), stdout.String())
	}
}
