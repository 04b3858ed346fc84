package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func warningsOf(fs []syncd.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		if f.Severity == syncd.SevWarn {
			out[f.Name] = f.Problem + " | " + f.Fix
		}
	}
	return out
}

// TestCheckWarnsOfARegularUsersToken: Pipedrive shows a regular user only
// the persons its visibility group allows, so syncd's search for an
// existing person can miss one another user owns and create a second one
// for the same email. crm check said nothing of it; it now warns.
func TestCheckWarnsOfARegularUsersToken(t *testing.T) {
	t.Parallel()
	for _, regular := range []bool{false, true} {
		_, a, _ := setup(t, crmfake.Options{RegularUser: regular}, pipedrive.Options{})
		fs, err := a.Check(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		w := warningsOf(fs)["token"]
		if regular != strings.Contains(w, "not an admin") || syncd.Failed(fs) {
			t.Fatalf("regular user %v: %+v", regular, fs)
		}
	}
}

// TestCheckWarnsOfAValueWithoutCurrency: a deal value written without a
// currency takes the default currency of the token's user, which need not
// be the agency's: 450000 meant in DKK shows as 450000 EUR. crm check now
// names the currency the deals would get.
func TestCheckWarnsOfAValueWithoutCurrency(t *testing.T) {
	t.Parallel()
	_, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	value := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "value", Dynamic: true, Where: "pipedrive/eaf.yaml:30"}
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{value})
	if err != nil {
		t.Fatal(err)
	}
	if w := warningsOf(fs)["value"]; !strings.Contains(w, "DKK") || !strings.Contains(w, "pipedrive/eaf.yaml:30") || syncd.Failed(fs) {
		t.Fatalf("without currency: %+v", fs)
	}
	currency := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "currency", Values: []string{"DKK"}}
	if fs, _ := a.Check(context.Background(), []syncd.FieldSpec{value, currency}); len(warningsOf(fs)) != 0 {
		t.Fatalf("with currency: %+v", fs)
	}
}

// TestValueWithoutCurrencyIsWarnedOfWhileTheUserCannotBeRead: Pipedrive
// answers the check's read of the token's user with a 503. The check
// warned that the user could not be read, and left out the warning of a
// deal value written without a currency, which holds whatever the user's
// currency: it warns of both, the currency not known.
func TestValueWithoutCurrencyIsWarnedOfWhileTheUserCannotBeRead(t *testing.T) {
	t.Parallel()
	fake, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	fake.AddFault(crmfake.Fault{Path: "/api/v1/users/me", Action: crmfake.ActError, Status: 503})
	value := syncd.FieldSpec{Kind: syncd.RecordDeal, Name: "value", Dynamic: true, Where: "pipedrive/eaf.yaml:30"}
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{value})
	if err != nil {
		t.Fatal(err)
	}
	w := warningsOf(fs)
	if !strings.Contains(w["value"], "without a currency") || !strings.Contains(w["value"], "(not known)") ||
		!strings.Contains(w["token"], "cannot be read") || syncd.Failed(fs) {
		t.Fatalf("the user not read: %+v", fs)
	}
}
