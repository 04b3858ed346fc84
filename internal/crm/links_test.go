package crm_test

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// failingLinks answers every read with an error.
type failingLinks struct{ crm.MemLinks }

func (*failingLinks) Link(context.Context, string, syncd.RecordKind, string) (string, error) {
	return "", errors.New("database is locked")
}

// TestLinksOfABatchWithOrWithoutTheBatchCall: the links of a batch are the
// same read from the store in one query or, from a Links without the
// batch call (MemLinks), one key at a time; a read that fails is said.
func TestLinksOfABatchWithOrWithoutTheBatchCall(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys := []string{"a@example.com", "b@example.com", "none@example.com", "a@example.com"}
	want := map[string]string{"a@example.com": "1", "b@example.com": "2"}
	for _, l := range []syncd.Links{db, &crm.MemLinks{}} {
		for k, id := range want {
			if err := l.SetLink(ctx, "hubspot", syncd.RecordContact, k, id); err != nil {
				t.Fatal(err)
			}
		}
		_ = l.SetLink(ctx, "hubspot", syncd.RecordDeal, "none@example.com", "3") // another kind
		if got, err := crm.LinksOf(ctx, l, "hubspot", syncd.RecordContact, keys); err != nil || !maps.Equal(got, want) {
			t.Errorf("%T: links = %v, %v; want %v", l, got, err, want)
		}
		if got, err := crm.LinksOf(ctx, l, "hubspot", syncd.RecordContact, nil); err != nil || len(got) != 0 {
			t.Errorf("%T: links of no keys = %v, %v", l, got, err)
		}
	}
	if got, err := crm.LinksOf(ctx, &failingLinks{}, "hubspot", syncd.RecordContact, keys); err == nil {
		t.Errorf("a failing read gave %v and no error", got)
	}
}
