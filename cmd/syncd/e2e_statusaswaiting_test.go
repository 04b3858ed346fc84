package main_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// TestStatusAsAnotherUserCountsLeadsWaiting: a monitoring user's cron job
// runs syncd status, the daemon's database closed to it. A body
// quarantined and a lead unmappable, both waiting for a person: the
// daemon exported them (syncd_quarantine_waiting_bodies,
// syncd_unmappable_waiting_leads) and Prometheus alerted, root's status
// exited 5, but the monitoring user's status said nothing of them and
// exited 0. It now shows the daemon's counts, says that their ids need
// status run as the daemon's user or root, and exits 5.
func TestStatusAsAnotherUserCountsLeadsWaiting(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, err := os.MkdirTemp("", "syncd-statusaswaiting-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := binaryIn(t, dir)
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(filepath.Join(dir, "data"), []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if os.Chmod(dir, 0o755) != nil || os.WriteFile(config, []byte(yaml), 0o644) != nil {
		t.Fatal("cannot write the test's configuration")
	}
	d := start(t, config) // as root: its data directory 0750 root
	defer d.stop(t, syscall.SIGTERM)
	statusAs := func() (string, int) {
		cmd := exec.Command(bin, "status", "-config", config)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Run()
		return out.String(), cmd.ProcessState.ExitCode()
	}
	out, code := statusAs()
	if code != 0 || !strings.Contains(out, "not read by this status") {
		t.Fatalf("status as postgres, nothing waiting: exit %d, want 0 and the database not read said\n%s", code, out)
	}

	for _, body := range []string{`{"eaf_type":"email_lead",`, // not JSON: quarantined
		`{"eaf_type":"email_lead","eaf_id":"unmappable-1","contact_email":"not an address"}`} { // a rule fails on it
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post %s: %+v %v", body, a, err)
		}
	}
	exported := func(fams map[string]*dto.MetricFamily) bool {
		q, u := fams["syncd_quarantine_waiting_bodies"].GetMetric(), fams["syncd_unmappable_waiting_leads"].GetMetric()
		n := 0.0
		for _, m := range q {
			n += m.GetGauge().GetValue()
		}
		return n == 1 && len(u) == 1 && u[0].GetGauge().GetValue() == 1
	}
	waitFor(t, "the daemon to count a body and a lead waiting", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", config) // as root: from the database
		return strings.Contains(out, "1 body WAITS") && strings.Contains(out, "1 lead UNMAPPABLE") &&
			exported(scrapeFamilies(t, d)) // counted every 15 s
	})
	out, code = statusAs()
	for _, want := range []string{"quarantine    1 body WAITS for a person, however long ago received (the daemon's count; " +
		"syncd events list -quarantined, run as the daemon's user or root, names them)",
		"unmapped      1 lead UNMAPPABLE, waiting for a person (the daemon's count; syncd events done -all -dry-run, " +
			"run as the daemon's user or root, names them)", "then syncd replay maps them again"} {
		if !strings.Contains(out, want) {
			t.Errorf("status as postgres does not say %q\n%s", want, out)
		}
	}
	if code != 5 {
		t.Errorf("status as postgres, a body and a lead waiting for a person: exit %d, want 5\n%s", code, out)
	}
}
