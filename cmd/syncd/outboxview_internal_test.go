package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOutboxShowTimes: `outbox show` prints times as every command does
// for a person (2025-01-02 09:19:03 +01:00), -json as RFC 3339. The text
// printed RFC 3339 too.
func TestOutboxShowTimes(t *testing.T) {
	t.Parallel()
	op := syncd.Op{ID: 7, Target: "hubspot", Kind: syncd.RecordDeal, Key: "L-1", State: syncd.OpPending,
		NextAttemptAt: t0.Add(time.Minute), CreatedAt: t0, UpdatedAt: t0}
	var b bytes.Buffer
	if err := printOp(&b, cph, op, false, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"next attempt:  2025-01-02 09:20:03 +01:00", "created:       2025-01-02 09:19:03 +01:00"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := printOp(&b, cph, op, true, nil, nil); err != nil || !strings.Contains(b.String(), `"created_at": "2025-01-02T09:19:03+01:00"`) {
		t.Errorf("json: %v\n%s", err, b.String())
	}
}

// TestOutboxJSONHasNoNextAttemptOnceFinished: outbox list/show -json gave
// a done or dead operation a next_attempt_at (when it was last due), which
// the text leaves out as meaningless: nothing tries it again. Now only a
// pending one has it.
func TestOutboxJSONHasNoNextAttemptOnceFinished(t *testing.T) {
	t.Parallel()
	for _, state := range []syncd.OpState{syncd.OpDone, syncd.OpDead, syncd.OpPending} {
		op := syncd.Op{ID: 7, Target: "hubspot", Kind: syncd.RecordDeal, Key: "L-1", State: state,
			NextAttemptAt: t0.Add(time.Minute), CreatedAt: t0, UpdatedAt: t0}
		var b bytes.Buffer
		if err := printOps(&b, cph, []syncd.Op{op}, true, true, nil); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), `"next_attempt_at"`); got != (state == syncd.OpPending) {
			t.Errorf("%s operation as JSON: next_attempt_at there %v; want %v\n%s", state, got, state == syncd.OpPending, b.String())
		}
	}
}

// TestOutboxShowOfAnErasureHasNoEmptyMapping: a CRM erasure comes from
// syncd erase -crm, not from a mapping file; outbox show printed
// "mapping: ()" for it, an empty row. It has no mapping row now.
func TestOutboxShowOfAnErasureHasNoEmptyMapping(t *testing.T) {
	t.Parallel()
	op := syncd.Op{ID: 9, Target: "hubspot", Kind: syncd.RecordErase, Key: "1001", State: syncd.OpDead,
		Properties: map[string]string{"deal_ids": "1002"}, CreatedAt: t0, UpdatedAt: t0}
	var b bytes.Buffer
	if err := printOp(&b, cph, op, false, nil, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "mapping:") {
		t.Errorf("an erasure's outbox show has a mapping row:\n%s", b.String())
	}
	op.Kind, op.MappingFile, op.MappingHash = syncd.RecordContact, "hubspot/eaf.yaml", "3acc"
	b.Reset()
	if err := printOp(&b, cph, op, false, nil, nil); err != nil || !strings.Contains(b.String(), "hubspot/eaf.yaml (3acc)") {
		t.Errorf("a contact's outbox show: %v, no mapping row:\n%s", err, b.String())
	}
}

// TestOutboxSaysGivenUpAsStatusDoes: an operation given up by hand (syncd
// outbox give-up) showed state "dead" in outbox show and outbox list,
// "given up by hand" only in its last error, while status counts it apart
// ("2 given up by hand: no alarm") and /metrics as state="given_up": the
// operator, told by status that nothing needs attention, found a dead
// letter. Both say it is given up now; JSON keeps state dead with its
// dead_cause, as documented.
func TestOutboxSaysGivenUpAsStatusDoes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cause      syncd.DeadCause
		show, list string
	}{
		{"", "state:       dead\n", "dead "},
		{syncd.DeadNoContact, "state:       dead\n", "dead "},
		{syncd.DeadGivenUp, "state:       given up by hand (dead, no alarm): syncd outbox retry 7 sends it again\n", "given up "},
		{syncd.DeadOtherAccountGivenUp, "state:       given up by hand (dead, no alarm): erased by hand in the earlier account, never sent\n", "given up "},
	} {
		op := syncd.Op{ID: 7, Target: "hubspot", Kind: syncd.RecordDeal, Key: "L-1", State: syncd.OpDead,
			DeadCause: c.cause, LastError: "given up by hand: crm 504", CreatedAt: t0, UpdatedAt: t0}
		var b bytes.Buffer
		if err := printOp(&b, cph, op, false, nil, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.show) {
			t.Errorf("outbox show of a dead operation, cause %q: no %q in\n%s", c.cause, c.show, b.String())
		}
		b.Reset()
		if err := printOps(&b, cph, []syncd.Op{op}, false, true, nil); err != nil {
			t.Fatal(err)
		}
		if _, row, _ := strings.Cut(b.String(), "\n"); !strings.HasPrefix(row, "7   "+c.list) {
			t.Errorf("outbox list of a dead operation, cause %q: row %q, want its state %q", c.cause, row, c.list)
		}
		b.Reset()
		if err := printOp(&b, cph, op, true, nil, nil); err != nil || !strings.Contains(b.String(), `"state": "dead"`) {
			t.Errorf("outbox show -json, cause %q: %v, state not dead\n%s", c.cause, err, b.String())
		}
	}
}

// TestOutboxShowOfAnErasureCountsTheSealedKeys: an erasure keeps the
// person's emails and phones sealed (their salted hashes, which test a
// guess); outbox show says how many, not the hashes.
func TestOutboxShowOfAnErasureCountsTheSealedKeys(t *testing.T) {
	t.Parallel()
	sealed := syncd.PersonKeys{Emails: []string{"jane@x.dk"}, Phones: []string{"20123456", "4520123456"}}.Seal()
	op := syncd.Op{ID: 9, Target: "pipedrive", Kind: syncd.RecordErase, Key: "1001", State: syncd.OpDead,
		Properties: map[string]string{"deal_ids": "1002", "person_keys": sealed}, CreatedAt: t0, UpdatedAt: t0}
	for _, asJSON := range []bool{false, true} {
		var b bytes.Buffer
		if err := printOp(&b, cph, op, asJSON, nil, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "3 sealed (the person's emails and phones") || strings.Contains(b.String(), strings.Fields(sealed)[0]) {
			t.Errorf("outbox show (json %v) of an erasure:\n%s\nwant its 3 sealed values counted, no hash", asJSON, b.String())
		}
	}
}
