package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestValidateWarnsOfADatabaseServeWouldRefuseAsItsUser: validate, run
// as a user serve would refuse the database as (here postgres, over
// root's data), said "database: …/syncd.db" and exit 0, nothing of it,
// while serve run as that user refused to start (exit 2): a data directory
// of another user's wider than syncd keeps (0777), which it may not
// narrow, and a database it may not write. Each is a warning naming the
// path, its owner and mode and what to do, as of report.dir; validate's
// exit stays 0 (run as another user than the service's, it speaks of
// that user), and root, who may do both, is warned of neither.
func TestValidateWarnsOfADatabaseServeWouldRefuseAsItsUser(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	makeDB(t, dir)
	data, db := filepath.Join(dir, "data"), filepath.Join(dir, "data", "syncd.db")
	run := func(as *syscall.Credential, args ...string) (string, int) {
		return runAs(as, bin, dir, config, args...)
	}
	for _, c := range []struct {
		mode os.FileMode
		say  string
	}{
		{0o777, "warning: data_dir " + data + ": " + data + " is mode 0777, wider than syncd keeps (0751), and owned by root, " +
			"not by postgres: run syncd as root, or narrow it as root: chmod 751 " + sq(data) + ": serve run as postgres refuses to start (exit 2)"},
		{0o751, "warning: data_dir " + data + ": cannot write " + db + " (owned by root, mode 0600) as postgres: run the command as root, " +
			"or let postgres write it (open " + db + ": permission denied): serve run as postgres refuses to start (exit 2)"},
	} {
		if err := os.Chmod(data, c.mode); err != nil {
			t.Fatal(err)
		}
		if out, code := run(as, "serve"); code != 2 {
			t.Fatalf("serve as postgres, data directory %04o: exit %d, want 2 (the case this test is about)\n%s", c.mode, code, out)
		}
		out, code := run(as, "validate", "-offline")
		if code != 0 || !strings.Contains(out, c.say) {
			t.Errorf("validate as postgres, data directory %04o: exit %d, want 0 and %q in:\n%s", c.mode, code, c.say, out)
		}
		if out, code := run(nil, "validate", "-offline"); code != 0 || strings.Contains(out, "data_dir") {
			t.Errorf("validate as root, data directory %04o: exit %d, want 0 and no word of data_dir:\n%s", c.mode, code, out)
		}
	}
}
