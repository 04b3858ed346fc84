package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestUsageErrorsAreSaidInSyncdsWords: a flag a command does not take
// is named by the command in syncd's words, with the way to list its
// flags (and the flag probably meant), exit 2: "syncd fakecrm -config …"
// answered Go's bare "flag provided but not defined: -config" and the
// whole flag list. A flag that takes a value given last without one is
// said so: "syncd backup -out" wrote a backup named "--" and exited 0.
func TestUsageErrorsAreSaidInSyncdsWords(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"fakecrm", "-config", "syncd.yaml"}, "syncd fakecrm: unknown flag -config: syncd fakecrm reads no configuration file"},
		{[]string{"version", "-config", "syncd.yaml"}, "syncd version: unknown flag -config: syncd version reads no configuration file and takes no flags\n"},
		{[]string{"version", "-short"}, "syncd version: unknown flag -short (syncd version takes no flags)\n"},
		{[]string{"status", "-confg", "syncd.yaml"}, "syncd status: unknown flag -confg: did you mean -config? (syncd status -h lists its flags)"},
		{[]string{"outbox", "list", "-stat", "dead"}, "syncd outbox list: unknown flag -stat: did you mean -state?"},
		{[]string{"events", "list", "-limit", "many"}, `syncd events list: -limit "many" is not a whole number: give it in digits`},
		{[]string{"backup", "-config", filepath.Join(dir, "none.yaml"), "-out"}, "syncd backup: -out needs a value (syncd backup -h lists its flags)"},
	} {
		stdout, stderr, code := syncdRun(t, tc.args...)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) || stdout != "" {
			t.Errorf("syncd %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr starting %q",
				strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
		if strings.Contains(stderr, "flag provided but not defined") || strings.Contains(stderr, "Usage of") {
			t.Errorf("syncd %s: the flag package's own words:\n%s", strings.Join(tc.args, " "), stderr)
		}
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) > 0 {
		t.Errorf("files written: %v", names)
	}
	if _, err := os.Stat("--"); err == nil {
		t.Errorf(`a file named "--" written in the working directory`)
	}
}

// TestMissingArgumentsAreNamed: each command run without what it needs
// says what is missing and what it takes, exit 2, nothing done: "syncd
// map" without -source printed only its usage line, not that -source is
// required nor the configuration's sources; events show, events repair,
// outbox show, retry and give-up without an ID, migrate-store without
// -to, and events, outbox and crm without a subcommand, the same.
func TestMissingArgumentsAreNamed(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	cfg := writeConfig(t, t.TempDir())
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"map", "body.json"}, []string{"syncd map: -source is required", "(eaf, lokalebasen)"}},
		{[]string{"map", "-source", "eaf"}, []string{"syncd map: it takes one argument: the file of the payload (FILE.json), or - to read it from standard input; given none"}},
		{[]string{"events", "show"}, []string{"syncd events show: it takes one ID", "given none"}},
		{[]string{"events", "repair"}, []string{"syncd events repair: it takes the quarantined body's ID", "given none"}},
		{[]string{"events", "repair", "3", "a.json", "b.json"}, []string{"syncd events repair: it takes the quarantined body's ID",
			`given "3" "a.json" "b.json"`}},
		{[]string{"outbox", "show"}, []string{"syncd outbox show: it takes one operation's ID"}},
		{[]string{"outbox", "retry"}, []string{"syncd outbox retry: it takes the IDs of dead operations", "or -all-dead"}},
		{[]string{"outbox", "give-up"}, []string{"syncd outbox give-up: it takes the IDs of the operations to give up"}},
		{[]string{"migrate-store"}, []string{"syncd migrate-store: -to postgres is required"}},
		{[]string{"crm"}, []string{"syncd crm: no subcommand given: check, setup or forget-links"}},
		{[]string{"crm", "frob"}, []string{`syncd crm: unknown subcommand "frob": check, setup or forget-links`}},
		// A misspelt subcommand gets the one meant, as a misspelt command does.
		{[]string{"crm", "chek"}, []string{`syncd crm: unknown subcommand "chek": did you mean "check"? (check, setup or forget-links)`}},
		{[]string{"events", "lst"}, []string{`syncd events: unknown subcommand "lst": did you mean "list"?`}},
		{[]string{"outbox", "giveup", "3"}, []string{`syncd outbox: unknown subcommand "giveup": did you mean "give-up"?`}},
	} {
		_, stderr, code := syncdRun(t, append(tc.args, "-config", cfg)...)
		if code != 2 {
			t.Errorf("syncd %s: exit %d, want 2", strings.Join(tc.args, " "), code)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("syncd %s: stderr does not say %q:\n%s", strings.Join(tc.args, " "), w, stderr)
			}
		}
	}
	for _, cmd := range []string{"events", "outbox"} {
		if _, stderr, code := syncdRun(t, cmd); code != 2 || !strings.HasPrefix(stderr, "syncd "+cmd+": no subcommand given\n") {
			t.Errorf("syncd %s: exit %d, stderr:\n%s\nwant exit 2 saying no subcommand was given", cmd, code, stderr)
		}
	}
}

// latestSchema is the schema this syncd migrates a store to: the number
// of its last migration file in dir.
func latestSchema(t *testing.T, dir string) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations in %s: %v", dir, err)
	}
	n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[len(names)-1]), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// schemaBefore is the number of the migration before the newest in dir:
// the schema of a database that has all but the newest (numbers may have
// gaps: see internal/migration).
func schemaBefore(t *testing.T, dir string) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(names) < 2 {
		t.Fatalf("fewer than two migrations in %s: %v", dir, err)
	}
	n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[len(names)-2]), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// schemaBeforeOwners is the schema before the newest migration in dir
// that only the tables' owner may make (one with a CREATE, ALTER or DROP
// statement): a role that may only write syncd's tables makes a
// migration that rewrites rows alone (PostgreSQL's 0021).
func schemaBeforeOwners(t *testing.T, dir string) int {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ddl := regexp.MustCompile(`(?im)^\s*(CREATE|ALTER|DROP)\b`)
	for i := len(names) - 1; i > 0; i-- {
		body, err := os.ReadFile(names[i])
		if err != nil {
			t.Fatal(err)
		}
		if ddl.Match(body) {
			n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[i-1]), "_", 2)[0])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no migration in %s that only the tables' owner may make", dir)
	return 0
}

// TestDocsSchemaExamplesAreThisSyncds: the schema numbers the operator's
// documentation shows in examples are this syncd's: the instance line of
// syncd status on PostgreSQL, `syncd 1.4.0 (schema 7)`, was an older
// release's (PostgreSQL is at 9), and an upgrade on SQLite logged
// `"schema":"6 -> 9"` where it now migrates to 10.
func TestDocsSchemaExamplesAreThisSyncds(t *testing.T) {
	t.Parallel()
	sqliteN := latestSchema(t, "../../internal/sqlite/migrations")
	pgN := latestSchema(t, "../../internal/postgres/migrations")
	instance := regexp.MustCompile("`syncd [^`(]+ \\(schema (\\d+)\\)`")
	migrated := regexp.MustCompile(`"schema":"\d+ -> (\d+)"`)
	newer := regexp.MustCompile(`database schema (\d+) is newer than this binary's`)
	found := 0
	for _, file := range operatorDocs(t) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			re   *regexp.Regexp
			want []int
			what string
		}{
			{instance, []int{pgN}, "a PostgreSQL instance's schema"},
			{migrated, []int{sqliteN}, "the schema an upgrade on SQLite migrates to"},
			{newer, []int{sqliteN, pgN}, "the schema a newer syncd brings"},
		} {
			for _, m := range c.re.FindAllStringSubmatch(string(b), -1) {
				found++
				if n, _ := strconv.Atoi(m[1]); !slices.Contains(c.want, n) {
					t.Errorf("%s: %s shows %d as %s: this syncd's is %v", file, m[0], n, c.what, c.want)
				}
			}
		}
	}
	if found < 4 {
		t.Errorf("only %d schema examples found: are the patterns still right?", found)
	}
}

// TestValidateListsEveryProblemPastAMisspeltKey: syncd validate on a
// configuration with misspelt keys listed them and stopped there, so a
// bad value elsewhere and a broken mapping file showed only on the next
// run, though the README says it lists every problem. Now one run lists
// the misspelt keys, the other problems of the file and those of the
// mappings, exit 2, and none that a misspelt key causes: tokns: misspelt
// is no "has no token", a misspelt write_timeout no answer_within over the
// default one, and a misspelt mapping: no missing mapping directory (the
// mappings are then said not to be checked).
func TestValidateListsEveryProblemPastAMisspeltKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	maps := filepath.Join(dir, "maps")
	if err := os.MkdirAll(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../mappings/hubspot", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "eaf.yaml" { // an expression left unclosed
			b = []byte(strings.Replace(string(b), "{expr: 'phone(contact_phone)'}", "{expr: 'phone(contact_phone'}", 1))
		}
		if err := os.WriteFile(filepath.Join(maps, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config := func(mapping string) string {
		file := filepath.Join(dir, mapping+".yaml")
		yaml := "listen: 127.0.0.1:0\ndata_dir: " + filepath.Join(dir, "data") + `
log:
  levle: debug
sources:
  lokalebasen:
    kind: lokalebasen
    tokns: [` + e2eLBToken + `]
  eaf:
    kind: eaf
    tokens: [` + e2eEAFToken + `]
intake:
  answer_within: 40s
http:
  write_timout: 60s
sync:
  schedule: "every minute"
` + mapping + `:
  dir: ` + maps + "\n"
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	_, stderr, code := syncdRun(t, "validate", "-offline", "-examples", "../../testdata/webhooks", "-config", config("mapping"))
	if code != 2 {
		t.Errorf("validate: exit %d, want 2", code)
	}
	mustContain(t, "validate past misspelt keys", stderr,
		`:4: unknown key "levle" (did you mean level?)`,
		`:8: unknown key "tokns" (did you mean tokens?)`,
		`:15: unknown key "write_timout" (did you mean write_timeout?)`,
		`:17: sync.schedule "every minute" has 2 fields, where a schedule has 5`,
		`eaf.yaml:40: rule "eaf-email-lead": contact.phone: expression:`)
	for _, follow := range []string{"has no token", "answer_within", "level"} {
		if strings.Contains(strings.ReplaceAll(stderr, "did you mean level", ""), follow) {
			t.Errorf("validate lists a problem a misspelt key causes (%s):\n%s", follow, stderr)
		}
	}

	_, stderr, code = syncdRun(t, "validate", "-offline", "-config", config("mapin"))
	if code != 2 {
		t.Errorf("validate, mapping: misspelt: exit %d, want 2", code)
	}
	mustContain(t, "validate with mapping: misspelt", stderr,
		`unknown key "mapin" (did you mean mapping?)`, ":17: sync.schedule", "the mappings were not checked")
	if strings.Contains(stderr, "mapping dir") || strings.Contains(stderr, "eaf.yaml") {
		t.Errorf("validate checks the default mapping dir of a misspelt mapping: key:\n%s", stderr)
	}
}

// TestMapOfABodyIntakeQuarantinesIsExitTwo: syncd map of a body intake
// would quarantine (not JSON, a sender's cut-off delivery) exited 1, which
// its -h did not list and the README calls a failure of the command; the
// body is bad input, as one of another sender's kind is (exit 2). Now it
// exits 2 saying it would be quarantined, never mapped, and -h lists
// that and exit 1 for a file that cannot be read.
func TestMapOfABodyIntakeQuarantinesIsExitTwo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	bad := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(bad, []byte(`{"event":"lead","email":`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := syncdRun(t, "map", "-config", config, "-source", "eaf", bad)
	if code != 2 {
		t.Fatalf("map of a cut-off body: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "map of a cut-off body", stderr, "syncd map: "+bad+" would be quarantined, never mapped: invalid JSON")
	help, _, _ := syncdRun(t, "map", "-h")
	if means := helpExitMeans(help, "2"); !strings.Contains(means, "does not fit the source's kind or that its intake would quarantine") {
		t.Errorf("map -h says 2 is %q:\n%s", means, help)
	}
	if means := helpExitMeans(help, "1"); means != "1  the file does not read" {
		t.Errorf("map -h says 1 is %q:\n%s", means, help)
	}
}
