package mapping

import (
	"fmt"
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
func (r *Rules) CheckExamples(dir string) (checked map[syncd.Kind]int, errs []error) {
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
			errs = append(errs, r.checkFile(kind, f)...)
		}
	}
	return checked, errs
}

func (r *Rules) checkFile(kind syncd.Kind, path string) []error {
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
	}
	return errs
}
