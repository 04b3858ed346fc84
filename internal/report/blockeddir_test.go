package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestUnwritableReportsDirIsNotSaidOpenToEveryone: a reports directory
// that could not be made (its path runs through a regular file, as a
// mistyped report.dir or a disk mounted elsewhere does) had each of the
// scheduler's runs log a warning "reports directory: every local user may
// list it" (stat: not a directory) beside the run's own error: an operator
// looking for why no report came chmod-ed a directory that did not exist.
// Only the run's error is said.
func TestUnwritableReportsDirIsNotSaidOpenToEveryone(t *testing.T) {
	t.Parallel()
	blocked := filepath.Join(t.TempDir(), "blocked")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29},
		report.Options{Store: openDB(t), Dir: filepath.Join(blocked, "reports"), Log: zerolog.New(&log)})
	if err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("report into a path through a file: %v", err)
	}
	if strings.Contains(log.String(), "every local user may list it") {
		t.Errorf("the log says the directory is open to everyone:\n%s", log.String())
	}
}
