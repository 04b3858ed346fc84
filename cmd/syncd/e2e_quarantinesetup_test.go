package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// startListening writes under dir a configuration with extra and a fixed
// listen address (status finds the daemon by it) and starts the daemon on
// it; it returns the configuration's path and the daemon, for the caller
// to stop.
func startListening(t *testing.T, dir, extra string) (string, *daemon) {
	t.Helper()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, extra), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return config, start(t, config)
}

// postChangedDelivery posts lead, a body with one %q for its message, to
// url, then the same delivery with another message: the intake answers it
// a duplicate and quarantines it as a changed delivery of the stored lead.
// It returns the stored lead's event id.
func postChangedDelivery(t *testing.T, url, lead string) string {
	t.Helper()
	first, err := post(url, []byte(fmt.Sprintf(lead, "a viewing, please")))
	if err != nil || first.Status != "accepted" {
		t.Fatalf("the lead: %+v, %v", first, err)
	}
	if a, err := post(url, []byte(fmt.Sprintf(lead, "a viewing on Monday, please"))); err != nil || a.Status != "duplicate" {
		t.Fatalf("the lead changed: %+v, %v", a, err)
	}
	return first.ID
}
