package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestInterruptedCommandsSayWhatIsLeft: a long command stopped by Ctrl-C
// or SIGTERM (its context cancelled) said "syncd: backup: context
// canceled", Go's words for it, which tell an operator neither that it was
// the interruption nor whether a copy, a workbook or half a replay was
// left. Each now says it was interrupted and what that leaves.
func TestInterruptedCommandsSayWhatIsLeft(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps, err := filepath.Abs("../../mappings/hubspot")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "syncd.yaml")
	yaml := fmt.Sprintf("data_dir: %s\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz0123]\nmapping:\n  dir: %s\n",
		filepath.Join(dir, "data"), maps)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	pgFile := filepath.Join(dir, "pg.yaml")
	pgYAML := yaml + "store:\n  kind: postgres\n  dsn: postgres://syncd@127.0.0.1:1/syncd?sslmode=disable\n"
	if err := os.WriteFile(pgFile, []byte(pgYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C
	for _, tc := range []struct {
		name string
		cmd  command
		args []string
		want string
	}{
		{"backup", cmdBackup, []string{"-out", filepath.Join(dir, "b.db")}, "syncd backup: interrupted: no copy written"},
		{"report", cmdReport, []string{"-date", "2026-11-02"}, "syncd report: interrupted: no workbook written"},
		{"replay", cmdReplay, nil, "syncd replay: interrupted before the end: run it again to finish"},
		{"purge", cmdPurge, nil, "syncd purge: interrupted before the end: run it again to finish"},
		{"export", cmdExport, []string{"-email", "kim@example.com"}, "syncd export: interrupted: nothing exported"},
		// It said "interrupted before the end", as if half the rows were
		// copied: the copy is one transaction.
		{"migrate-store", cmdMigrateStore, []string{"-to", "postgres", "-config", pgFile},
			"syncd migrate-store: interrupted: nothing copied"},
	} {
		var stdout, stderr strings.Builder
		args := tc.args
		if !slices.Contains(args, "-config") {
			args = append(args, "-config", file)
		}
		code := tc.cmd(ctx, &cli{name: tc.name, args: args, stdout: &stdout, stderr: &stderr, getenv: os.Getenv})
		if code != exitFailure || !strings.Contains(stderr.String(), tc.want) || strings.Contains(stderr.String(), "context canceled") {
			t.Errorf("%s interrupted: exit %d, stderr\n%s\nwant exit 1 and %q", tc.name, code, stderr.String(), tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "b.db")); err == nil {
		t.Errorf("backup interrupted wrote its copy")
	}
}
