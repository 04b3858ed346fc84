package pipedrive

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// FieldKeys keeps, across restarts, the key of each custom field `syncd crm
// setup` created or found (and `crm check`, which the daemon runs at start),
// by the name the mappings give it: Pipedrive lets
// a user rename a field (its key stays), and the name alone would then find
// nothing, so that setup would make a second field and the data would split
// between the two. The store's named state values in production.
type FieldKeys interface {
	StateValue(ctx context.Context, name string) (string, bool, error)
	SetStateValue(ctx context.Context, name, value string) error
}

// keyName is the state value under which the key of the field the
// mappings call name on kind's object is kept.
func keyName(k syncd.RecordKind, name string) string {
	return "pipedrive field " + objectOfKind[k] + " " + strings.ToLower(strings.TrimSpace(name))
}

// recordKey keeps the key of the field found or made for s (nothing
// without Options.Keys, when s names the field by its key, or when that key
// is kept already).
func (a *Adapter) recordKey(ctx context.Context, s syncd.FieldSpec, key string) error {
	if a.opts.Keys == nil || key == s.Name {
		return nil
	}
	name := keyName(s.Kind, s.Name)
	if old, ok, err := a.opts.Keys.StateValue(ctx, name); err == nil && ok && old == key {
		return nil
	}
	if err := a.opts.Keys.SetStateValue(ctx, name, key); err != nil {
		return fmt.Errorf("record the key of %s field %q: %w", noun(s.Kind), s.Name, err)
	}
	return nil
}

// renamed returns the field set up for s that now has another name: none
// has s's name, and the key setup recorded for it is still in the account.
// A key not in the account (the field deleted, another account) is no
// rename.
func (a *Adapter) renamed(ctx context.Context, sc *schema, s syncd.FieldSpec) (field, bool, error) {
	if _, err := sc.field(s.Kind, s.Name); err == nil || a.opts.Keys == nil {
		return field{}, false, nil
	}
	key, ok, err := a.opts.Keys.StateValue(ctx, keyName(s.Kind, s.Name))
	if err != nil || !ok {
		return field{}, false, err
	}
	for _, f := range sc.fields[s.Kind] {
		if f.Code == key && usableKey(s, f) {
			return f, true, nil
		}
	}
	return field{}, false, nil
}

// usableKey reports whether f, found for s, is a field the mappings can
// write: of the type they declare (otherType). Only such a field's key is
// kept, and only such a field is a rename of s. Before, setup and the
// check kept the key of a field of another type found by s's name (made
// by hand as a number where the mappings declare a date); once the
// operator renamed that field aside to have setup make the right one, as
// a rename it was "renamed", and setup refused to make the field and said
// to rename the wrong one back or write its new name in the mappings:
// the way back to a field every lead's value is refused by. A key an
// older syncd kept so is no rename either.
func usableKey(s syncd.FieldSpec, f field) bool { return !otherType(s.Type, f.Type) }

// renamedProblem and renamedFix say what a rename did and the two ways out.
func renamedProblem(s syncd.FieldSpec, f field) string {
	return fmt.Sprintf("%s field %q was renamed to %q in Pipedrive (key %s)", noun(s.Kind), s.Name, f.Name, f.Code)
}

// The advice names every place the old name is written, the
// configuration's lead_id_field among them for the lead-id field: one
// left behind stays a problem of the check (the daemon sends on by the
// kept key meanwhile: renames).
func (a *Adapter) renamedFix(s syncd.FieldSpec, f field) string {
	places := s.Places
	if len(places) == 0 {
		places = []string{s.Where}
	}
	if s.Kind == syncd.RecordDeal && s.Name == a.opts.LeadIDField && !slices.Contains(places, a.leadWhere()) {
		places = append(slices.Clip(places), a.leadWhere())
	}
	if len(places) == 1 {
		return fmt.Sprintf("rename it back in Pipedrive, or write %q in %s", f.Name, places[0])
	}
	return fmt.Sprintf("rename it back in Pipedrive, or write %q in every place that names it (%d places: %s)",
		f.Name, len(places), strings.Join(places, ", "))
}
