package syncer_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestAPinRefusedWriteIsNotAnAnswer: a write the adapter's account pin
// refused (the token is another account's, or the address is not the
// CRM's API) sent nothing the CRM took, so Answered, which has the daemon
// check the account again, is not told; a write the CRM refused for
// itself (a 401, a 400) is an answer.
func TestAPinRefusedWriteIsNotAnAnswer(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		err      *syncd.CRMError
		answered bool
	}{
		{"another account", &syncd.CRMError{Class: syncd.ErrAuth, Code: syncd.CodeWrongAccount, Message: "the token is account 2's"}, false},
		{"not the API", &syncd.CRMError{Class: syncd.ErrAuth, Code: syncd.CodeNotTheAPI, Message: "404 to the account's read"}, false},
		{"a 401", &syncd.CRMError{Class: syncd.ErrAuth, Status: 401, Code: "HTTP_401", Message: "token refused"}, true},
		{"a record refused", &syncd.CRMError{Class: syncd.ErrPermanent, Status: 400, Code: "VALIDATION_ERROR", Message: "invalid email"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			db := openDB(t, clk)
			crm := newMemCRM()
			crm.fail = func(syncd.RecordKind, string) error { return c.err }
			enqueueLeads(t, db, "mem", 0, 1)
			answered := 0
			s := newSyncer(t, db, crm, clk, func(o *syncer.Options) {
				o.Answered = func(context.Context) { answered++ }
			})
			if _, err := s.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if (answered > 0) != c.answered {
				t.Errorf("Answered told %d times, want told: %v", answered, c.answered)
			}
		})
	}
}
