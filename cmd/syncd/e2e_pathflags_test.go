package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPathFlagsRefuseAFlagForTheirValue: a flag that takes a file or
// folder given a flag for its value ("syncd backup -out -h", "-config
// -h") is a usage error in syncd's words, exit 2, nothing written:
// "syncd backup -out -h" wrote a backup named "-h" and exited 0, and
// "-config -h" looked for a configuration file named "-h". Every
// command's path flags (-config, -out, -from, -examples) are tried, run
// in a folder of their own, with a configuration and a database that work.
func TestPathFlagsRefuseAFlagForTheirValue(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	config := writeConfig(t, t.TempDir())
	if err := start(t, config).stop(t, syscall.SIGTERM); err != nil { // the database there, for a backup
		t.Fatal(err)
	}
	work := t.TempDir()
	var cases [][]string // a command's words, its path flag, and that flag's value
	for _, cmd := range [][]string{{"serve"}, {"validate"}, {"events", "list"}, {"events", "show"}, {"events", "repair"},
		{"map"}, {"replay"}, {"sync"}, {"outbox", "list"}, {"outbox", "show"}, {"outbox", "retry"}, {"outbox", "give-up"},
		{"outbox", "drop"}, {"report"}, {"status"}, {"erase"}, {"export"}, {"backup"}, {"purge"}, {"crm", "check"},
		{"crm", "setup"}, {"crm", "forget-links"}, {"migrate-store"}} {
		cases = append(cases, append(cmd, "-config", "-h"), append(cmd, "-config", "-out"))
	}
	cases = append(cases, []string{"backup", "-out", "-h"}, []string{"backup", "-out", "-config"},
		[]string{"export", "-out", "--help"}, []string{"report", "-out", "-h"},
		[]string{"migrate-store", "-from", "-h"}, []string{"validate", "-examples", "-h"})
	for _, args := range cases {
		n := len(args)
		cmd, flag, value := strings.Join(args[:n-2], " "), args[n-2], args[n-1]
		if flag != "-config" {
			args = append(args, "-config", config)
		}
		if cmd == "export" {
			args = append(args, "-email", "kim@example.com")
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		c := syncdCmdContext(ctx, args...)
		c.Dir = work
		var stdout, stderr strings.Builder
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		cancel()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		want := "syncd " + cmd + ": " + flag + " needs a path, given the flag " + value + " (syncd " + cmd + " -h lists its flags"
		if code != 2 || !strings.HasPrefix(stderr.String(), want) || stdout.String() != "" {
			t.Errorf("syncd %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr starting %q",
				strings.Join(args, " "), code, stdout.String(), stderr.String(), want)
		}
	}
	if names, _ := filepath.Glob(filepath.Join(work, "*")); len(names) > 0 {
		t.Errorf("files written: %v", names)
	}
	if _, err := os.Stat(filepath.Join(work, "-h")); err == nil {
		t.Error(`a file named "-h" written`)
	}
}
