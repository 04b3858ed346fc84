package main

import (
	"os"
	"strings"
	"testing"
)

// TestMissingServerConfigSaysSyncdIsNotConfigured: "syncd status -config
// /etc/syncd/syncd.yaml" on a host where syncd is not configured yet said
// to give -config the file's path "(on a server /etc/syncd/syncd.yaml)",
// the very path typed. It says syncd is not configured there yet and how
// to do it; another missing path keeps the hint.
func TestMissingServerConfigSaysSyncdIsNotConfigured(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(serverConfig); err == nil {
		t.Skip(serverConfig + " exists on this host")
	}
	got := missingConfigNote(serverConfig)
	if strings.Contains(got, "(on a server "+serverConfig+")") || !strings.Contains(got, "syncd is not configured on this host yet") {
		t.Errorf("missing %s: %q", serverConfig, got)
	}
	if got := missingConfigNote("/nonexistent-dir/syncd.yaml"); !strings.Contains(got, "(on a server "+serverConfig+")") {
		t.Errorf("another missing path: %q", got)
	}
}
