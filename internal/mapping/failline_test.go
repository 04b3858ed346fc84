package mapping_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFailingExpressionNamesItsLine: an expression valid at load that
// fails for some leads (a second word of a one-word name) made the lead
// unmappable with `rule "r": contact.jobtitle: index out of range: 1
// (array length is 1) (1:32)`, and the daemon's warning named the rule
// alone: the operator had to search the files for the property, and the
// (1:32) read as a line and column of the file. The reason now names the
// file and line of the property (or of the when:) and says that its
// expression failed for this lead; the warning carries the file and line
// (no personal data) as "mapping".
func TestAFailingExpressionNamesItsLine(t *testing.T) {
	const rules = "rules:\n" + // 1
		"  - name: r\n" + // 2
		"    source: lokalebasen\n" + // 3
		"    event: enquiry_created\n" + // 4
		"    when: 'payload.enquiry.type != \"extra\" or split(payload.client.name, \" \")[1] != \"\"'\n" + // 5
		"    contact:\n" + // 6
		"      email: payload.client.email\n" + // 7
		"      jobtitle: {expr: 'split(payload.client.name, \" \")[1]'}\n" // 8
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lb.yaml"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := mapping.Load(dir, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(dir) + "/lb.yaml" // as Load names it
	lead := func(typ, client string) syncd.Event {
		body := `{"event_type":"enquiry_created","payload":{"enquiry":{"type":"` + typ + `"},` +
			`"client":{"email":"kim@example.dk","name":"` + client + `"}}}`
		ev, err := mapping.EventFromBody(syncd.KindLokalebasen, "lokalebasen", "", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	for _, c := range []struct {
		typ, name, reason, where string
	}{
		{"client", "Kim", `rule "r": contact.jobtitle (` + name + `:8): its expression failed for this lead: ` +
			`index out of range: 1 (array length is 1)`, name + ":8"},
		{"extra", "Kim", `rule "r": when (` + name + `:5): its expression failed for this lead: ` +
			`index out of range: 1 (array length is 1)`, name + ":5"},
	} {
		res := r.Map(lead(c.typ, c.name))
		if res.State != syncd.MapUnmappable || !strings.HasPrefix(res.Reason, c.reason) || fmt.Sprintf("%s:%d", res.File, res.Line) != c.where ||
			strings.Contains(res.Reason, "\n") { // one line, for syncd events list's table
			t.Errorf("%s %q: %s %q at %q\nwant unmappable %q at %q", c.typ, c.name, res.State, res.Reason, fmt.Sprintf("%s:%d", res.File, res.Line), c.reason, c.where)
		}
	}
	if res := r.Map(lead("client", "Kim Ravn")); res.State != syncd.MapMapped || res.File != "" || res.Line != 0 {
		t.Errorf("two words: %s %q at %s:%d", res.State, res.Reason, res.File, res.Line)
	}

	db, in := openStore(t)
	var logs bytes.Buffer
	w := mapping.NewWorker(mapping.WorkerOptions{Store: db, Rules: r, Log: zerolog.New(&logs).Level(zerolog.InfoLevel), Interval: time.Hour})
	ev := lead("client", "Kim")
	rc, err := in.Store(context.Background(), syncd.Incoming{Source: ev.Source, Kind: ev.Kind, Type: ev.Type, Key: ev.Key,
		Body: ev.Body, Parse: syncd.ParseStrict, ReceivedAt: time.Now()})
	if err != nil || rc.Outcome != syncd.Accepted {
		t.Fatalf("store: %+v, %v", rc, err)
	}
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var warn map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(line, &m) == nil && m["level"] == "warn" {
			warn = m
		}
	}
	if warn == nil || warn["mapping"] != name || warn["line"] != 8.0 || warn["rule"] != "r" {
		t.Fatalf("warning %v, want it to name the mapping's line (log %s)", warn, logs.String())
	}
	if strings.Contains(logs.String(), "kim@") {
		t.Fatalf("personal data logged: %s", logs.String())
	}
}
