package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestWritesOfDataPostgresRefusesAreRefusals: values PostgreSQL itself
// refuses, a NUL in a text column (SQLSTATE 22021) and a key longer than
// its index can hold (54000), are refusals (syncd.ErrRefused), so that
// the mapping worker sets such a lead aside rather than retrying it for
// ever; a lead beside them goes through.
func TestWritesOfDataPostgresRefusesAreRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDSN(t, pgtest.DSN(t))
	withIntake(db, func(in *postgres.Intake) {
		for i, key := range []string{"nul\x00@example.com", incompressible(4000) + "@example.com", "good@example.com"} {
			rec, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
				Key: fmt.Sprint("k", i), Body: []byte(`{"id":1}`), Parse: syncd.ParseStrict})
			if err != nil {
				t.Fatal(err)
			}
			op := syncd.Op{Target: "hubspot", Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail,
				Properties: map[string]string{"firstname": "P"}, MappingFile: "lb.yaml", MappingHash: "h1"}
			_, err = db.RecordMappings(ctx, []syncd.Mapping{{EventID: rec.ID, State: syncd.MapMapped, Ops: []syncd.Op{op}}})
			if refused := errors.Is(err, syncd.ErrRefused); refused != (i < 2) {
				t.Errorf("lead %d: %v, a refusal: %t", i, err, refused)
			}
		}
	})
}

// incompressible is n characters PostgreSQL cannot compress into an index
// row.
func incompressible(n int) string {
	var b []byte
	sum := sha256.Sum256(nil)
	for len(b) < n {
		sum = sha256.Sum256(sum[:])
		b = hex.AppendEncode(b, sum[:])
	}
	return string(b[:n])
}
