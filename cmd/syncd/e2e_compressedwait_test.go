package main_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCompressedBodyWaitingSaysToDecompressIt: a lead sent gzip-compressed
// (Content-Encoding: gzip), which syncd keeps in the quarantine as sent,
// was named in syncd status and events show "not read as a lead (not
// JSON, not UTF-8)", with the way out to save a copy and correct it: the
// copy saved was gzip's bytes, which no editor corrects. Both now say it
// was sent compressed, to ask the sender for plain JSON, and how to save a
// decompressed copy; the copy saved so repairs into the event.
func TestCompressedBodyWaitingSaysToDecompressIt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, d := startListening(t, dir, "")
	defer d.stop(t, syscall.SIGTERM)
	lead := []byte(`{"eaf_type":"email_lead","eaf_id":"gz1","contact_email":"gz@example.com"}`)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(lead)
	zw.Close()
	req, _ := http.NewRequest("POST", d.url+"/hooks/eaf/"+e2eEAFToken, bytes.NewReader(zipped.Bytes()))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		QuarantineID string `json:"quarantine_id"`
	}
	json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	if resp.StatusCode != 200 || a.QuarantineID == "" {
		t.Fatalf("a gzip body: %d %+v, want 200 quarantined", resp.StatusCode, a)
	}
	id := a.QuarantineID
	way := "sent gzip-compressed, which syncd does not read: ask the sender to send plain JSON; a lead: " +
		"syncd events show -quarantined -body " + id + " | gunzip > FILE, correct FILE if need be, then syncd events repair " + id + " FILE"
	out, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", out, way)
	out, _, _ = syncdRun(t, "events", "show", "-quarantined", "-config", config, id)
	mustContain(t, "events show -quarantined", out, "WAITS for a person: "+way)

	// The way out, as said.
	body, err := syncdCmd("events", "show", "-quarantined", "-body", "-config", config, id).Output()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the body saved is not gzip: %v", err)
	}
	plain, _ := io.ReadAll(zr)
	file := filepath.Join(dir, "lead.json")
	if err := os.WriteFile(file, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := syncdRun(t, "events", "repair", "-config", config, id, file); code != 0 {
		t.Fatalf("events repair of the decompressed copy: exit %d\n%s%s", code, out, errOut)
	}
	if evs := syncdJSON(t, "events", "list", "-json", "-config", config); len(evs) != 1 {
		t.Errorf("events after the repair: %v; want the lead", evs)
	}
}
