package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestListsSayWhichDatabaseTheyRead: on a server of several agencies
// (/etc/syncd/a.yaml, b.yaml), syncd events list and outbox list run
// with the wrong -config listed the other agency's leads without a word,
// where status names its database; so did a list run with SYNCD_DATA_DIR
// overriding the file's data_dir. Each now says on stderr, in one line,
// the database it reads (and of which file and agency); stdout, which
// scripts parse (-json too), is as before. A file alone in its directory,
// read as it says, lists as before: nothing on stderr. events show and
// outbox show said nothing either, of an ID found or not (exit 3: the
// other agency's database lacks it): they say it alike, before anything
// else on stderr.
func TestListsSayWhichDatabaseTheyRead(t *testing.T) {
	t.Parallel()
	etc := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(etc, 0o750); err != nil {
		t.Fatal(err)
	}
	write := func(dir, name, agency string) string {
		file := filepath.Join(dir, name+".yaml")
		yaml := configYAML(filepath.Join(dir, "..", name), []string{e2eLBToken + "-" + name}, agency)
		yaml = strings.Replace(yaml, "tokens: ["+e2eEAFToken+"]", "tokens: ["+e2eEAFToken+"-"+name+"]", 1)
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	a := write(etc, "a", "agency: Nordhavn Erhverv\n")
	d := start(t, a) // its database, with event 1
	body, err := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	if err != nil {
		t.Fatal(err)
	}
	if ans, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken+"-a", body); err != nil || ans.Code != 200 {
		t.Fatalf("post: %+v %v", ans, err)
	}
	d.stop(t, syscall.SIGTERM)
	dbA := filepath.Join(etc, "..", "a", "data", "syncd.db")
	lists := [][]string{{"events", "list"}, {"events", "list", "-json"}, {"outbox", "list"}, {"outbox", "list", "-json"}}
	// Shown: event 1, and operation 1, which the dry run has not (exit 3).
	shows := []struct {
		args []string
		code int
	}{{[]string{"events", "show", "1"}, 0}, {[]string{"outbox", "show", "1"}, 3}, {[]string{"outbox", "show", "-json", "1"}, 3}}
	show := func(env, file, want string) {
		t.Helper()
		for _, sh := range shows {
			_, stderr, code := syncdRunEnv(t, env, append(sh.args, "-config", file)...)
			if code != sh.code {
				t.Fatalf("%s: exit %d, want %d\n%s", sh.args, code, sh.code, stderr)
			}
			said := strings.Contains(stderr, ": database ")
			if want == "" && said || want != "" && !strings.HasPrefix(stderr, strings.ReplaceAll(want, "CMD", strings.Join(sh.args[:2], " "))) {
				t.Errorf("%s: stderr\n%s\nwant it to begin %q", sh.args, stderr, want)
			}
		}
	}
	run := func(env string, args []string, file string) (string, string) {
		t.Helper()
		out, stderr, code := syncdRunEnv(t, env, append(args, "-config", file)...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", args, code, out, stderr)
		}
		return out, stderr
	}
	show("", a, "")
	alone := map[string]string{}
	for _, args := range lists {
		out, stderr := run("", args, a)
		if stderr != "" {
			t.Errorf("%s of a file alone in its directory: stderr %q, want nothing", args, stderr)
		}
		alone[strings.Join(args, " ")] = out
	}

	write(etc, "b", "")
	show("", a, "syncd CMD: database "+dbA+", of "+a+", agency Nordhavn Erhverv (other agencies' files are beside it)\n")
	for _, args := range lists {
		out, stderr := run("", args, a)
		want := "syncd " + strings.Join(args[:2], " ") + ": database " + dbA + ", of " + a + ", agency Nordhavn Erhverv " +
			"(other agencies' files are beside it)\n"
		if stderr != want {
			t.Errorf("%s beside another agency's file: stderr\n%q\nwant\n%q", args, stderr, want)
		}
		if out != alone[strings.Join(args, " ")] {
			t.Errorf("%s beside another agency's file: stdout %q, want it as before, %q", args, out, alone[strings.Join(args, " ")])
		}
	}

	// A file alone elsewhere whose data_dir holds no database, read with
	// SYNCD_DATA_DIR pointing at a's: it lists a's.
	other := filepath.Join(t.TempDir(), "etc")
	if err := os.Mkdir(other, 0o750); err != nil {
		t.Fatal(err)
	}
	c := write(other, "c", "")
	show("SYNCD_DATA_DIR="+filepath.Dir(dbA), c, "syncd CMD: database "+dbA+" (SYNCD_DATA_DIR="+filepath.Dir(dbA)+
		" overrides data_dir "+filepath.Join(other, "..", "c", "data")+" of "+c+")\n")
	for _, args := range lists {
		_, stderr := run("SYNCD_DATA_DIR="+filepath.Dir(dbA), args, c)
		want := "syncd " + strings.Join(args[:2], " ") + ": database " + dbA + " (SYNCD_DATA_DIR=" + filepath.Dir(dbA) +
			" overrides data_dir " + filepath.Join(other, "..", "c", "data") + " of " + c + ")\n"
		if stderr != want {
			t.Errorf("%s with SYNCD_DATA_DIR another's: stderr\n%q\nwant\n%q", args, stderr, want)
		}
	}
}
