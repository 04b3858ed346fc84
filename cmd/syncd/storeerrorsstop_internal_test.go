package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestStopWritesTheStoreErrorsHeldBack: the daemon never closed the rate
// limit of the failures its store reports (storeErrors), so those held
// back in the last 10 s before a stop were never counted in the log. At
// the stop, once the database is closed, their count is written.
func TestStopWritesTheStoreErrorsHeldBack(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs logtest.Buffer
	log := zerolog.New(&logs)
	say, done := storeErrors(log)
	db.OnError = say
	d := &daemon{db: &backend{store: db}, log: log, storeErrorsDone: done}
	for range 3 { // a storm of one kind: the first logged, two held back
		say(errors.New("group commit: disk I/O error"))
	}
	if n := strings.Count(logs.String(), "group commit"); n != 1 {
		t.Fatalf("%d lines before the stop, want the first alone:\n%s", n, logs.String())
	}
	d.closeStore()
	if !strings.Contains(logs.String(), `"repeated":2`) {
		t.Fatalf("the two held back not counted at the stop:\n%s", logs.String())
	}
}
