package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestARoleThatMayOnlyWriteSyncdsTables: the database's schema made by
// its owner (a DBA ran the first serve, or migrate-store, as that role),
// and the instances run as a role granted the rows of syncd's tables but
// not the right to create tables (PostgreSQL 15's default for a role that
// does not own the database). validate said `reachable, schema N (this
// syncd's)`, exit 0, and serve then refused to start, as did every
// command: `migrate: ERROR: permission denied for schema public`, with
// nothing on what to do. serve now starts and takes leads there. On a
// schema older than this syncd's, which that role may not migrate,
// validate says so (exit 1) where it said ok, and serve's refusal names
// the role, the database and the fix. A role missing a right on any of
// syncd's tables (validate read two of them) is refused by validate,
// naming each table and right, where it said ok, and serve refuses to
// start on it, where it took leads it could not send.
func TestARoleThatMayOnlyWriteSyncdsTables(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dir := t.TempDir()
	dsn := pgtest.DSN(t)
	pgMigrate(t, dsn, "")
	role := fmt.Sprintf("syncd_writer_%d", os.Getpid())
	pgExec(t, dsn, `CREATE ROLE `+role+` LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC;
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO `+role+`;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO `+role)
	t.Cleanup(func() { pgExec(t, dsn, `DROP OWNED BY `+role+`; DROP ROLE IF EXISTS `+role) })
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "")+pgStore(t, dir, withUser(dsn, role))), 0o600)
	n := latestSchema(t, "../../internal/postgres/migrations")
	// a schema whose next migration only the tables' owner may make
	before := schemaBeforeOwners(t, "../../internal/postgres/migrations")

	// Rights missing on tables validate did not read (it read
	// schema_version and outbox alone): it said ok, and serve then
	// failed at every heartbeat and sync, "permission denied for table".
	pgExec(t, dsn, `REVOKE INSERT ON crm_links FROM `+role+`; REVOKE ALL ON instances FROM `+role)
	stdout, stderr, code := syncdRun(t, "validate", "-config", file)
	mustContain(t, "validate with rights missing", stderr, fmt.Sprintf("user %s may not use every table of syncd's", role),
		"crm_links (INSERT)", "instances (SELECT, INSERT, UPDATE, DELETE)", "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "+role)
	if code != 2 { // as serve: the rights are a person's to give
		t.Fatalf("validate with rights missing: exit %d, want 2; output:\n%s%s", code, stdout, stderr)
	}
	// serve started, took leads, and failed at every heartbeat and
	// sync: a lead sent to the CRM whose id it may not record is sent
	// again once its lease ends. It refuses to start, as validate says.
	refused := syncdCmd("serve", "-config", file)
	timer := time.AfterFunc(60*time.Second, func() { refused.Process.Kill() })
	out, err := refused.CombinedOutput()
	timer.Stop()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 { // not restarted by the unit: the grant is a person's
		t.Fatalf("serve with rights missing: %v, want exit 2; output:\n%s", err, out)
	}
	mustContain(t, "serve with rights missing", string(out), "crm_links (INSERT)", "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES")
	pgExec(t, dsn, `GRANT SELECT, INSERT, UPDATE, DELETE ON crm_links, instances TO `+role)
	stdout, stderr, code = syncdRun(t, "validate", "-config", file)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("reachable, schema %d (this syncd's)", n)) {
		t.Fatalf("validate on the current schema: exit %d, want 0; output:\n%s%s", code, stdout, stderr)
	}
	d := start(t, file)
	if a := postTestdata(t, d, "eaf/email_lead.json"); a.Status != "accepted" {
		t.Fatalf("lead: %+v", a)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("serve: %v\n%s", err, d.log())
	}
	stdout, stderr, code = syncdRun(t, "events", "list", "-config", file)
	if code != 0 || !strings.Contains(stdout, "email_lead") {
		t.Fatalf("events list: exit %d; output:\n%s%s", code, stdout, stderr)
	}

	pgExec(t, dsn, fmt.Sprintf(`DELETE FROM schema_version WHERE version > %d`, before)) // a schema this syncd migrates
	stdout, stderr, code = syncdRun(t, "validate", "-config", file)
	mustContain(t, "validate on an older schema", stdout+stderr,
		fmt.Sprintf("schema %d, older than this syncd's %d, which user %s may not migrate", before, n, role),
		"start this syncd once with the DSN of the tables' owner")
	if code != 2 { // as serve's below
		t.Fatalf("validate on an older schema the role may not migrate: exit %d, want 2", code)
	}
	serve := syncdCmd("serve", "-config", file)
	timer = time.AfterFunc(60*time.Second, func() { serve.Process.Kill() })
	out, err = serve.CombinedOutput()
	timer.Stop()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("serve on an older schema the role may not migrate: %v, want exit 2; output:\n%s", err, out)
	}
	mustContain(t, "serve on an older schema", string(out),
		fmt.Sprintf("user %s may not migrate the schema of database", role), fmt.Sprintf("from %d to %d", before, n),
		"start this syncd once with the DSN of the tables' owner")
}
