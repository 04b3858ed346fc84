package pipedrive

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// idLike are the parts of v, a constant the mappings (s) write into the
// enum or set field f, that are no option of f, by label or id, and are
// written as an option's id is, in digits alone, without the fields:
// section declaring them as options: the id of an option an admin deleted
// in Pipedrive since, as likely as a label. `syncd crm setup` adds no
// option for them, which would put the old id in the salespeople's
// dropdown as a label and on every lead.
func idLike(f field, s syncd.FieldSpec, v string) []string {
	if f.Type != "enum" && f.Type != "set" {
		return nil
	}
	parts := []string{v}
	if f.Type == "set" {
		parts = setParts(f, v)
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if _, err := strconv.ParseUint(p, 10, 64); err != nil || declares(s, p) {
			continue
		}
		if _, err := optionID(f, p); err != nil {
			out = append(out, p)
		}
	}
	return out
}

// declares reports whether the fields: section declares o as one of the
// field's options.
func declares(s syncd.FieldSpec, o string) bool {
	for _, d := range s.Options {
		if strings.EqualFold(strings.TrimSpace(d), o) {
			return true
		}
	}
	return false
}

// idFix is what to do of the parts of a constant, written in where into
// field f, that idLike found.
func idFix(f field, s syncd.FieldSpec, parts []string, where string) string {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strconv.Quote(p)
	}
	labels := make([]string, 0, len(f.Options))
	for _, o := range f.Options {
		labels = append(labels, strconv.Quote(o.Label))
	}
	if len(labels) > 10 {
		labels = append(labels[:10], "…")
	}
	options := "write one of its options (" + strings.Join(labels, ", ") + ")"
	if len(labels) == 0 {
		options = "add an option to it in Pipedrive and write that"
	}
	said := strings.Join(quoted, ", ")
	return fmt.Sprintf("%s may be the id of an option of %s field %q deleted in Pipedrive since: %s in %s; if %s is meant as a label, "+
		"declare it as an option in the mappings' fields: section, and `syncd crm setup` then adds it", said, noun(s.Kind), f.Name, options, where, said)
}
