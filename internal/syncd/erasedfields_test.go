package syncd_test

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestErasedFieldsKeepPlainOnes: an erased event keeps a plain type and a
// plain delivery id, a body's hash and a key without a kind, and drops a
// type or id that names the person or is not plain (an address, a name
// with a space, a number with a +).
func TestErasedFieldsKeepPlainOnes(t *testing.T) {
	m := syncd.Subject{Patterns: []string{"jane@example.com"}, Phones: []string{"4520123456"}}.Matcher()
	for key, want := range map[string]string{
		"eaf:77722226661727188822717": "eaf:77722226661727188822717",
		"eaf.feed_import:123":         "eaf.feed_import:123",
		"sha256:ab12":                 "sha256:ab12",
		"a":                           "a",
		"eaf:jane@example.com":        "erased:7",
		"eaf:JANE@EXAMPLE.COM":        "erased:7",
		"eaf:Bob Keeper":              "erased:7",
		"eaf:+4520123456":             "erased:7",
		"eaf:4520123456":              "erased:7",
		"eaf:":                        "erased:7",
	} {
		if got := syncd.ErasedKey(key, 7, m); got != want {
			t.Errorf("ErasedKey(%q) = %q, want %q", key, got, want)
		}
	}
	for typ, want := range map[string]string{"email_lead": "email_lead", "jane@example.com": "", "Jane": "", "": ""} {
		if got := syncd.ErasedType(typ, m); got != want {
			t.Errorf("ErasedType(%q) = %q, want %q", typ, got, want)
		}
	}
	if id := syncd.DeliveryID("sha256:ab12") + syncd.DeliveryID("erased:7"); id != "" {
		t.Errorf("delivery id of a hash or an erased key: %q", id)
	}
	if id := syncd.DeliveryID("eaf:123"); id != "123" {
		t.Errorf("delivery id of eaf:123: %q", id)
	}
	if syncd.FieldsName(syncd.KindErasure, "erase", "erasure:20123456aaaaaaaa:x", m) ||
		syncd.FieldsName(syncd.KindRestore, "restore", "restore:4520123456", m) ||
		!syncd.FieldsName(syncd.KindEAF, "email_lead", "eaf:4520123456", m) {
		t.Error("FieldsName: syncd's own rows are no sender's; an EAF id naming the person is")
	}
}
