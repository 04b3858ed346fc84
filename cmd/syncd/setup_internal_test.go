package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coreos/go-systemd/v22/journal"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestJournaldWithoutAJournalLogsOnStdout: log.journald set where no
// journal listens (outside systemd, in a container) keeps the log on
// stdout and says why. Before, every line was lost ("zerolog: could not
// write event" on stderr instead).
func TestJournaldWithoutAJournalLogsOnStdout(t *testing.T) {
	t.Parallel()
	if journal.Enabled() {
		t.Skip("a journal listens on this machine")
	}
	var out bytes.Buffer
	log := daemonLogger(&out, &config.Config{Log: config.Log{Level: "info", Journald: true}}, "syncd.yaml")
	log.Info().Msg("serving")
	if !strings.Contains(out.String(), `"message":"serving"`) || !strings.Contains(out.String(), "no journal listens here") {
		t.Fatalf("want the line and the reason on stdout, got %q", out.String())
	}
}
