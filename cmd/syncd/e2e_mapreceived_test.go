package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMapTakesAPayloadAsReceivedNow: syncd map printed no property made
// of syncd.received_at (the README's formatDate(syncd.received_at,
// "2006-01-02", "Europe/Copenhagen") for the Danish day): a file has no
// receipt, the time was "" and the property left out without a word, so
// an operator trying the documented line saw it do nothing. The payload
// is mapped as a delivery received now would be.
func TestMapTakesAPayloadAsReceivedNow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappings(t, dir)
	lb := filepath.Join(maps, "lokalebasen.yaml")
	data, err := os.ReadFile(lb)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "      syncd_source: {const: lokalebasen}\n"
	edited := strings.Replace(string(data), anchor, anchor+
		`      syncd_enquiry_day: {expr: 'formatDate(syncd.received_at, "2006-01-02", "Europe/Copenhagen")'}`+"\n", 1)
	if edited == string(data) {
		t.Fatal("the shipped mapping has no syncd_source line to add a property after")
	}
	os.WriteFile(lb, []byte(edited), 0o644)

	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().In(cph).Format("2006-01-02")
	out, stderr, code := syncdRun(t, "map", "-config", config, "-source", "lokalebasen",
		"../../testdata/webhooks/lokalebasen/enquiry_created.json")
	after := time.Now().In(cph).Format("2006-01-02")
	if code != 0 || !strings.Contains(out, "syncd_enquiry_day: "+before) && !strings.Contains(out, "syncd_enquiry_day: "+after) {
		t.Fatalf("syncd map of a property made of syncd.received_at: exit %d\n%s%s\nwant syncd_enquiry_day: %s", code, out, stderr, after)
	}
}
