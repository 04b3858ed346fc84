package mapping

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// CheckExamples runs every rule against the example payloads under dir
// (dir/<kind>/*.json, e.g. testdata/webhooks/eaf/email_lead.json) and
// returns one error per record that would be invalid: a contact without
// email or phone, a deal without a name, an expression that fails. A rule
// whose `when:` does not hold for an example is not run on it. It is what
// `syncd validate` adds to loading. Checked counts the examples run, per
// kind, so that a caller can tell an empty or mistyped dir from a clean one.
// values, if not nil, says why the target CRM would refuse a value of a
// field the mappings declare a type of ("" when it takes it): an example's
// value it refuses is an error too, as every such lead would be refused.
func (r *Rules) CheckExamples(dir string, values ValueCheck) (checked map[syncd.Kind]int, errs []error) {
	checked = map[syncd.Kind]int{}
	for _, s := range sender.All() {
		kind := s.Kind
		files, err := filepath.Glob(filepath.Join(dir, string(kind), "*.json"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		slices.Sort(files)
		for _, f := range files {
			checked[kind]++
			errs = append(errs, r.checkFile(kind, f, values)...)
		}
	}
	return checked, errs
}

// ValueCheck says why a CRM would refuse v as a value of a field of the
// declared type typ; "" when it takes it. record is every property of the
// record v is written into (a Pipedrive amount takes the deal's currency).
type ValueCheck func(typ, v string, record map[string]string) string

func (r *Rules) checkFile(kind syncd.Kind, path string, values ValueCheck) []error {
	body, err := os.ReadFile(path)
	if err != nil {
		return []error{fmt.Errorf("check %s: %w", path, err)}
	}
	ev, err := EventFromBody(kind, string(kind), "", body)
	if err != nil {
		return []error{fmt.Errorf("check %s: %w", path, err)}
	}
	var errs []error
	m := &run{ev: ev}
	for _, ru := range r.byEvent[schemaKey{ev.Kind, ev.Type}] {
		// each rule on its own, not first-match: every rule must be sound
		m.root, m.envType, m.env = parseRoot(ev.Payload), ru.envType, nil
		ok, err := m.when(ru)
		if err == nil && !ok {
			continue
		}
		res := unmappable(ru, "when: %v", err)
		if err == nil {
			res = r.apply(m, ru)
		}
		if res.State == syncd.MapUnmappable {
			errs = append(errs, fmt.Errorf("%s: %s:%d: %s", path, ru.file, ru.line, res.Reason))
		}
		errs = append(errs, r.checkValues(path, ru, res.Ops, values)...)
	}
	return errs
}

// checkValues checks the values ops write into fields the mappings declare
// a type of, in property order.
func (r *Rules) checkValues(path string, ru *rule, ops []syncd.Op, values ValueCheck) []error {
	if values == nil {
		return nil
	}
	var errs []error
	for _, op := range ops {
		names := slices.Sorted(maps.Keys(op.Properties))
		for _, name := range names {
			d, ok := r.fields[fieldKey{op.Kind, name}]
			v := op.Properties[name]
			if !ok || d.spec.Type == "" || v == "" {
				continue
			}
			if why := values(d.spec.Type, v, op.Properties); why != "" {
				errs = append(errs, fmt.Errorf("%s: %s:%d: %s property %s (%s): %q: %s (declared at %s:%d)",
					path, ru.file, ru.line, op.Kind, name, d.spec.Type, v, why, d.file, d.line))
			}
		}
	}
	return errs
}
