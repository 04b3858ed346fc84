package main_test

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// syncdRun runs a syncd command and returns its stdout, stderr and exit
// status.
func syncdRun(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd := syncdCmd(args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("syncd %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

// freeAddr is a loopback address nothing listens on right now, on a port
// below the kernel's ephemeral range: the port 0 listeners of the tests
// running beside (daemons, crmfake, SMTP) never get it between this check
// and its use, as one did once (a socket-activation test failed with
// "Address already in use"). Ports are handed out in turn from a random
// start, so two tests running beside each other never get the same one
// (one did, drawn at random: agency B's daemon found agency A's port
// taken, CI at 760850b9).
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 1000 {
		port := nextPorts.next()
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			l.Close()
			return l.Addr().String()
		}
	}
	t.Fatal("no free port below the ephemeral range")
	return ""
}

// nextPorts hands out the ports freeAddr tries, each once in a run of the
// tests (until all of them are used).
var nextPorts = newPortTurn()

// portTurn goes round the ports from 10000 up to the kernel's ephemeral
// range, from a random start (two test binaries run at once start apart).
type portTurn struct {
	low, n int
	at     atomic.Int64
}

func newPortTurn() *portTurn {
	top := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				top = n
			}
		}
	}
	p := &portTurn{low: 10000, n: max(top-10000, 1000)}
	p.at.Store(int64(rand.IntN(p.n)))
	return p
}

// next is the next port in turn.
func (p *portTurn) next() int {
	return p.low + int((p.at.Add(1)-1)%int64(p.n))
}

// postFixtures posts every example webhook once and returns how many.
func postFixtures(t *testing.T, d *daemon) int {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/webhooks/*/*.json")
	for _, f := range files {
		body, _ := os.ReadFile(f)
		src, tok := "eaf", e2eEAFToken
		if strings.Contains(f, "lokalebasen") {
			src, tok = "lokalebasen", e2eLBToken
		}
		if a, err := post(d.url+"/hooks/"+src+"/"+tok, body); err != nil || a.Code != 200 {
			t.Fatalf("%s: %+v %v", f, a, err)
		}
	}
	return len(files)
}

// TestListingsAreNewestFirstLimitedAndCounted: events list and outbox list
// show the newest rows first, cut at -limit with a line saying how many
// more there are, and print JSON lines with times in report.time_zone.
func TestListingsAreNewestFirstLimitedAndCounted(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	n := postFixtures(t, d)
	waitFor(t, "every event mapped", func() bool {
		out, _, _ := syncdRun(t, "outbox", "list", "-config", config, "-limit", "0")
		return strings.Count(out, "\n") > 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	out, _, code := syncdRun(t, "events", "list", "-config", config, "-limit", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(strings.TrimSpace(lines[1]), strconv.Itoa(n)+" ") ||
		!strings.HasPrefix(strings.TrimSpace(lines[2]), strconv.Itoa(n-1)+" ") ||
		lines[3] != "... and "+strconv.Itoa(n-2)+" more (older); -limit 0 shows all" {
		t.Fatalf("events list -limit 2 (exit %d):\n%s", code, out)
	}
	// Copenhagen in winter or summer: the offset is shown, never "Z".
	if !regexp.MustCompile(`\d\d:\d\d:\d\d \+0[12]:00`).MatchString(lines[1]) {
		t.Errorf("received time without the report zone's offset: %q", lines[1])
	}
	evs := syncdJSON(t, "events", "list", "-json", "-config", config)
	if len(evs) != n || evs[0]["id"].(float64) != float64(n) {
		t.Fatalf("events list -json: %d rows, first %v", len(evs), evs[0]["id"])
	}
	if at := evs[0]["received_at"].(string); !regexp.MustCompile(`T\d\d:\d\d:\d\d\+0[12]:00$`).MatchString(at) {
		t.Errorf("received_at %q is not RFC 3339 in the report zone", at)
	}

	ops := syncdJSON(t, "outbox", "list", "-json", "-config", config)
	if len(ops) < 2 || ops[0]["id"].(float64) < ops[1]["id"].(float64) {
		t.Fatalf("outbox list -json not newest first: %v", ops)
	}
	raw, _, _ := syncdRun(t, "outbox", "list", "-json", "-config", config)
	if strings.HasPrefix(raw, "[") || strings.Count(raw, "\n") != len(ops) {
		t.Errorf("outbox list -json is not JSON lines:\n%s", raw)
	}
	out, stderr, _ := syncdRun(t, "outbox", "list", "-json", "-limit", "1", "-config", config)
	if strings.Count(out, "\n") != 1 || !strings.Contains(stderr, "more (older)") {
		t.Errorf("outbox list -json -limit 1: stdout\n%s\nstderr\n%s", out, stderr)
	}
	// A Lokalebasen deal's key, the sha256 of its body, is cut in the
	// table (its 64 digits pushed every column after it off the screen),
	// whole in -json.
	out, _, _ = syncdRun(t, "outbox", "list", "-limit", "0", "-config", config)
	for _, op := range ops {
		key := op["key"].(string)
		if !strings.Contains(key, "sha256:") {
			continue
		}
		if cut := key[:strings.Index(key, "sha256:")+len("sha256:")+12] + "…"; !strings.Contains(out, cut+" ") || strings.Contains(out, key) {
			t.Errorf("outbox list shows the key %s, want it cut to %s:\n%s", key, cut, out)
		}
	}
}

// TestCommandsSayWhatIsWrong: help for subcommand groups, an unknown
// source named as such, each with the exit status a script can trust.
func TestCommandsSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, group := range []string{"events", "outbox"} {
		out, _, code := syncdRun(t, group, "-h")
		if code != 0 || !strings.Contains(out, "usage: syncd "+group) || !strings.Contains(out, "list") {
			t.Errorf("%s -h: exit %d\n%s", group, code, out)
		}
		_, stderr, code := syncdRun(t, group, "nosuch")
		if code != 2 || !strings.Contains(stderr, `unknown subcommand "nosuch"`) {
			t.Errorf("%s nosuch: exit %d\n%s", group, code, stderr)
		}
	}
	_, stderr, code := syncdRun(t, "events", "list", "-source", "nosuch", "-config", config)
	if code != 2 || !strings.Contains(stderr, `no source "nosuch"`) || !strings.Contains(stderr, "eaf, lokalebasen") {
		t.Errorf("events list -source nosuch: exit %d\n%s", code, stderr)
	}
	_, stderr, code = syncdRun(t, "replay", "-dry-run", "-source", "nosuch", "-config", config)
	if code != 2 || !strings.Contains(stderr, `no source "nosuch"`) {
		t.Errorf("replay -source nosuch: exit %d\n%s", code, stderr)
	}
	_, stderr, code = syncdRun(t, "map", "-config", config, "-source", "nosuch", "../../testdata/webhooks/eaf/email_lead.json")
	if code != 2 || !strings.Contains(stderr, `no source "nosuch"`) || !strings.Contains(stderr, "eaf, lokalebasen") {
		t.Errorf("map -source nosuch: exit %d\n%s", code, stderr)
	}
}

// TestStatusNamesTheDaemonItDescribes: status believes /metrics only from
// the daemon that serves its configuration's database.
func TestStatusNamesTheDaemonItDescribes(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	addr := freeAddr(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	os.WriteFile(config, []byte(yaml), 0o600)
	makeDB(t, dir)

	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd answers at "+addr) {
		t.Fatalf("status, nothing running: exit %d\n%s", code, out)
	}
	d := start(t, config)
	out, _, code = syncdRun(t, "status", "-config", config)
	db := filepath.Join(dir, "data", "syncd.db")
	if code != 0 || !strings.Contains(out, "running since") || !strings.Contains(out, "database "+db) ||
		!strings.Contains(out, "received since start") {
		t.Fatalf("status of its own daemon: exit %d\n%s", code, out)
	}

	// Another installation configured on the same port: the daemon that
	// answers there is not its own.
	other := t.TempDir()
	otherConfig := filepath.Join(other, "syncd.yaml")
	os.WriteFile(otherConfig, []byte(strings.Replace(yaml, dir, other, -1)), 0o600)
	// Its data_dir holds no database yet: status says so, and which one the
	// daemon answering serves, instead of creating an empty one.
	_, stderr, code := syncdRun(t, "status", "-config", otherConfig)
	if code != 5 || !strings.Contains(stderr, "no database at "+filepath.Join(other, "data", "syncd.db")) ||
		!strings.Contains(stderr, "the syncd at "+addr+" serves "+db) {
		t.Fatalf("status of another installation without a database: exit %d\n%s", code, stderr)
	}
	makeDB(t, other)
	out, _, code = syncdRun(t, "status", "-config", otherConfig)
	if code != 5 || !strings.Contains(out, "the syncd at "+addr+" serves "+db+", not this configuration's database") ||
		!strings.Contains(out, "figures from the database "+filepath.Join(other, "data", "syncd.db")) ||
		strings.Contains(out, "since start") {
		t.Fatalf("status of another installation:\n%s", out)
	}
	d.stop(t, syscall.SIGTERM)
}

// TestValidateSaysWhatItChecked: validate counts the examples it ran, and
// fails on an examples folder that is mistyped or holds none.
func TestValidateSaysWhatItChecked(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	out, stderr, code := syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	if code != 0 || !strings.Contains(out, "5 examples in ../../testdata/webhooks map cleanly: 4 eaf, 1 lokalebasen") {
		t.Errorf("validate on the fixtures: exit %d\n%s%s", code, out, stderr)
	}
	if stderr != "" {
		t.Errorf("validate of a file only its owner reads warned:\n%s", stderr)
	}
	_, stderr, code = syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhoks")
	if code != 2 || !strings.Contains(stderr, "-examples ../../testdata/webhoks: not a folder") {
		t.Errorf("mistyped -examples: exit %d\n%s", code, stderr)
	}
	os.Chmod(config, 0o644) // the tokens written in it: every local user's now
	_, stderr, code = syncdRun(t, "validate", "-config", config, "-examples", "../../testdata/webhooks")
	if code != 0 || !strings.Contains(stderr, "warning: "+config+":6: sources.lokalebasen.tokens entry 1 is written in this file, which every local user can read") {
		t.Errorf("validate of a config others can read: exit %d\n%s", code, stderr)
	}
	flat := t.TempDir() // payloads not in <kind>/ folders
	os.WriteFile(filepath.Join(flat, "email_lead.json"), []byte(`{"eaf_type":"email_lead"}`), 0o600)
	_, stderr, code = syncdRun(t, "validate", "-config", config, "-examples", flat)
	if code != 2 || !strings.Contains(stderr, "no examples in "+flat+": expected "+filepath.Join(flat, "eaf", "*.json")) {
		t.Errorf("examples without kind folders: exit %d\n%s", code, stderr)
	}
}

// TestFlagsMayFollowArguments: flags typed after a command's arguments
// count as the ones before do (they were ignored, or the command printed
// only its usage line, since the flag package stops at the first argument);
// "--" still ends the flags.
func TestFlagsMayFollowArguments(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	lead := "../../testdata/webhooks/eaf/email_lead.json"
	before, _, code := syncdRun(t, "map", "-config", config, "-source", "eaf", lead)
	if code != 0 || !strings.Contains(before, "target: dryrun") {
		t.Fatalf("map with the flags first: exit %d\n%s", code, before)
	}
	for _, args := range [][]string{
		{"map", lead, "-source", "eaf", "-config", config},
		{"map", "-source", "eaf", lead, "-config", config},
		{"map", "-source", "eaf", "-config", config, "--", lead},
	} {
		out, stderr, code := syncdRun(t, args...)
		if code != 0 || out != before {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"events", "show", "12", "-config", config}, "event 12 not found"},
		{[]string{"events", "show", "12", "-quarantined", "-config", config}, "quarantined body 12"},
		{[]string{"outbox", "retry", "7", "-config", config}, "no dead outbox op 7"},
		{[]string{"outbox", "show", "7", "-json", "-config", config}, "7"},
	} {
		_, stderr, code := syncdRun(t, c.args...)
		if code != 3 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 3 and %q\n%s", c.args, code, c.want, stderr)
		}
	}
	_, stderr, code := syncdRun(t, "map", "-source", "eaf", "-config", config, "--", "-not-a-flag.json")
	if code != 1 || !strings.Contains(stderr, "-not-a-flag.json") {
		t.Errorf(`a file after "--" named like a flag: exit %d\n%s`, code, stderr)
	}
}

// TestFreeAddrNeverHandsOutAPortTwice: tests running beside each other
// call freeAddr before their daemons bind; two draws of one port made one
// daemon fail to listen. Two thousand draws, each different (drawn at
// random from ~22,000 ports they would almost surely repeat one).
func TestFreeAddrNeverHandsOutAPortTwice(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 2000 {
		a := freeAddr(t)
		if seen[a] {
			t.Fatalf("freeAddr handed out %s twice", a)
		}
		seen[a] = true
	}
}
