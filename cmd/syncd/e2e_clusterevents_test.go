package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOnAClusterSaysWhoseEventsItCounts runs two instances on one
// database, each sent its own leads: syncd status said "events 3
// received since start" from the instance it asked, of the 5 the cluster
// stored, and "daemon running since" of that instance alone, as if it were
// the only one. Now it says which instance those figures are of, and what
// the whole cluster stored since that instance started, from the database.
func TestStatusOnAClusterSaysWhoseEventsItCounts(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	lead, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	var configs, addrs []string
	n := 0
	for i, leads := range []int{3, 2} {
		dir := t.TempDir()
		addrs = append(addrs, freeAddr(t))
		cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn)), "listen: 127.0.0.1:0", "listen: "+addrs[i], 1)
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		configs = append(configs, file)
		d := start(t, file)
		for range leads {
			n++
			body := strings.Replace(string(lead), `"eaf_id": "77722226661727188822717"`, fmt.Sprintf(`"eaf_id": "cluster-%d"`, n), 1)
			if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 || a.Status != "accepted" {
				t.Fatalf("post to instance %d: %+v %v", i, a, err)
			}
		}
	}
	var out string
	waitFor(t, "status to see both instances", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", configs[0])
		return strings.Contains(out, "cluster: 2 instances")
	})
	for _, want := range []string{
		`daemon +the instance at ` + regexp.QuoteMeta(addrs[0]) + ` running since `,
		`events +3 received by this instance since its start: 3 accepted, 0 duplicate`,
		`\n +the whole cluster stored 5 new events since then, and quarantined 0 bodies \(every instance, from the database\)`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("status on the instance sent 3 of the cluster's 5 leads: no %q in\n%s", want, out)
		}
	}
}
