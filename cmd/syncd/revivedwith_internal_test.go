package main

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRevivedWithNamesTheUpdatesThatFailedTogether: what a retry revived
// with the one retried, in its words. A contact's updates that died with
// it were called its deals ("the deal operations that died waiting for
// it"), and a deal's contact's updates that died together one operation.
func TestRevivedWithNamesTheUpdatesThatFailedTogether(t *testing.T) {
	t.Parallel()
	kinds := map[int64]syncd.RecordKind{3: syncd.RecordContact, 4: syncd.RecordDeal, 5: syncd.RecordContact,
		6: syncd.RecordDeal, 7: syncd.RecordContact}
	kindOf := func(id int64) syncd.RecordKind { return kinds[id] }
	for _, c := range []struct {
		kind syncd.RecordKind
		with []int64
		want string
	}{
		{syncd.RecordContact, []int64{7, 3}, ", with operations 3, 7 of the same contact, which failed with it " +
			"(a contact's updates go as one write, in order)"},
		{syncd.RecordContact, []int64{7, 4, 6}, ", with operation 7 of the same contact, which failed with it " +
			"(a contact's updates go as one write, in order) and the deal operations that died waiting for it or were given up: 4, 6"},
		{syncd.RecordContact, []int64{4}, ", with the deal operation that died waiting for it or was given up: 4"},
		{syncd.RecordDeal, []int64{3, 5, 6}, ", with its contact's dead operations 3, 5, which failed together " +
			"(the deal needs its contact in the CRM) and the contact's other deal operation that died waiting for it or was given up: 6"},
		{syncd.RecordDeal, []int64{5}, ", with its contact's dead operation 5 (the deal needs its contact in the CRM)"},
	} {
		if got := revivedWith(c.kind, c.with, kindOf); got != c.want {
			t.Errorf("retried a %s with %v:\n got %q\nwant %q", c.kind, c.with, got, c.want)
		}
	}
}
