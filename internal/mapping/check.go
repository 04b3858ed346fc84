package mapping

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
// Ignored lists the example leads no rule maps (no rule for their type,
// or no rule's when: holding for them): not an error, as a when: may leave
// out leads on purpose, but every lead like one is ignored, never sent to
// the CRM, which a mistaken when: or event: does without a word.
// values, if not nil, says why the target CRM would refuse a value of a
// field the mappings declare a type of ("" when it takes it): an example's
// value it refuses is an error too, as every such lead would be refused.
func (r *Rules) CheckExamples(dir string, values ValueCheck) (checked map[syncd.Kind]int, ignored []IgnoredLead, errs []error) {
	checked = map[syncd.Kind]int{}
	errs = r.checkConstants(values)
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
			lead, fileErrs := r.checkFile(kind, f, values)
			errs = append(errs, fileErrs...)
			if lead != nil {
				ignored = append(ignored, *lead)
			}
		}
	}
	return checked, ignored, errs
}

// IgnoredLead is an example lead no rule maps.
type IgnoredLead struct {
	Kind syncd.Kind // its sender's kind
	File string     // the example
	Why  string     // no rule for its type, or the rules whose when: did not hold
}

// String says which example and why.
func (l IgnoredLead) String() string {
	return fmt.Sprintf("%s: a lead no rule maps: %s; leads like it are ignored, never sent to the CRM", l.File, l.Why)
}

// ValueCheck says why a CRM would refuse v as a value of a field of the
// declared type typ; "" when it takes it. record is every property of the
// record v is written into (a Pipedrive amount takes the deal's currency).
type ValueCheck func(typ, v string, record map[string]string) string

// checkFile runs every rule for the example at path on it; ignored is
// the example when it is a lead that no rule takes (nil otherwise).
func (r *Rules) checkFile(kind syncd.Kind, path string, values ValueCheck) (ignored *IgnoredLead, errs []error) {
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, []error{fmt.Errorf("check %s: %w", path, err)}
	}
	ev, err := EventFromBody(kind, string(kind), "", body)
	if err != nil {
		return nil, []error{fmt.Errorf("check %s: %w", path, err)}
	}
	// as a delivery of it now: a property made of syncd.received_at is
	// checked too, not left out for want of a time
	ev.ReceivedAt = time.Now()
	rules := r.byEvent[schemaKey{ev.Kind, ev.Type}]
	var passed []string // the rules whose when: did not hold
	m := &run{ev: ev, names: r.names[schemaKey{ev.Kind, ev.Type}]}
	for _, ru := range rules {
		// each rule on its own, not first-match: every rule must be sound
		m.root, m.envType, m.env = parseRoot(ev.Payload), ru.envType, nil
		ok, err := m.when(ru)
		if err == nil && !ok {
			passed = append(passed, fmt.Sprintf("%q at %s:%d", ru.name, ru.file, ru.whenLine))
			continue
		}
		var res Result
		if err != nil {
			res = whenFailed(ru, err)
		} else {
			res = r.apply(m, ru)
		}
		if res.State == syncd.MapUnmappable {
			where := fmt.Sprintf("%s:%d", ru.file, ru.line)
			if res.File != "" { // the property or when: that failed
				where = fmt.Sprintf("%s:%d", res.File, res.Line)
			}
			errs = append(errs, fmt.Errorf("%s: %s: %s", path, where, res.Reason))
		}
		errs = append(errs, r.checkValues(path, ru, res.Ops, values)...)
	}
	if len(passed) < len(rules) || !sender.IsLead(ev.Kind, ev.Type) {
		return nil, errs
	}
	why := fmt.Sprintf("no rule for %s %s", ev.Kind, typeName(ev.Type))
	switch len(passed) {
	case 0:
	case 1:
		why = fmt.Sprintf("no rule's when: holds for it (rule %s)", passed[0])
	default:
		why = fmt.Sprintf("no rule's when: holds for it (rules %s)", strings.Join(passed, ", "))
	}
	return &IgnoredLead{Kind: ev.Kind, File: path, Why: why}, errs
}

// ownTypes are the CRMs' own deal properties that take only dates or
// numbers, of the type they are, per target: a value written into one is
// judged as one of a declared type, so that a close date written
// "20/09/2021", or an amount {const: 1.500.000}, which the CRM refuses
// with the lead, is named by syncd validate.
var ownTypes = map[string]map[fieldKey]string{
	"hubspot":   {{syncd.RecordDeal, "closedate"}: "datetime", {syncd.RecordDeal, "amount"}: "number"},
	"pipedrive": {{syncd.RecordDeal, "expected_close_date"}: "date", {syncd.RecordDeal, "value"}: "double"},
}

// ownWords name the types of ownTypes in words.
var ownWords = map[string]string{"datetime": "date and time", "date": "date", "number": "number", "double": "number"}

// checkValues checks the values ops write into fields the mappings declare
// a type of, and into the CRM's own date fields, in property order.
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
			if own := ownTypes[r.target][fieldKey{op.Kind, name}]; !ok && own != "" && v != "" {
				if p := ru.prop(op.Kind, name); p != nil && p.isConst() {
					continue // checkConstants'
				}
				if why := values(own, v, op.Properties); why != "" {
					errs = append(errs, fmt.Errorf("%s: %s:%d: %s property %s (the CRM's own, a %s): %q: %s",
						path, ru.file, ru.propLine(op.Kind, name), op.Kind, name, ownWords[own], v, why))
				}
				continue
			}
			if !ok || d.spec.Type == "" || v == "" || constChecked(d.spec, ru.prop(op.Kind, name)) {
				continue
			}
			why := values(d.spec.Type, v, op.Properties)
			if why == "" {
				why = notAnOption(d.spec, v)
			}
			if why != "" {
				errs = append(errs, fmt.Errorf("%s: %s:%d: %s property %s (%s): %q: %s (declared at %s:%d)",
					path, ru.file, ru.propLine(op.Kind, name), op.Kind, name, d.spec.Type, v, why, d.file, d.line))
			}
		}
	}
	return errs
}

// propLine is the line where ru maps the property name of a record of
// kind: the line to fix when its value is wrong; the rule's own line when
// it maps none of that name.
func (ru *rule) propLine(kind syncd.RecordKind, name string) int {
	if p := ru.prop(kind, name); p != nil {
		return p.line
	}
	return ru.line
}

// prop is ru's property name of a record of kind; nil when it maps none.
func (ru *rule) prop(kind syncd.RecordKind, name string) *prop {
	ps := ru.deal
	if kind == syncd.RecordContact {
		ps = ru.contact
	}
	for i := range ps {
		if ps[i].name == name {
			return &ps[i]
		}
	}
	return nil
}

// isConst tells whether p is a constant (nil: no property).
func (p *prop) isConst() bool { return p != nil && !p.isPath && p.prog == nil }

// constChecked tells whether p, a property of field f, is a constant that
// checkConstants checks (once, not with each example): all but an amount
// (monetary), which takes its record's currency, left to the examples.
func constChecked(f syncd.FieldSpec, p *prop) bool {
	return p.isConst() && f.Type != "monetary"
}

// checkConstants checks every constant a rule writes into a field the
// mappings declare a type of, whether or not an example reaches the rule
// (one whose when: no example meets was not checked at all). An amount
// (monetary) is left to the examples: it takes its record's currency.
func (r *Rules) checkConstants(values ValueCheck) []error {
	if values == nil {
		return nil
	}
	var errs []error
	for _, ru := range r.rules {
		for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
			ps := ru.deal
			if kind == syncd.RecordContact {
				ps = ru.contact
			}
			for i := range ps {
				p := &ps[i]
				d, ok := r.fields[fieldKey{kind, p.name}]
				if own := ownTypes[r.target][fieldKey{kind, p.name}]; !ok && own != "" && p.constant != "" && p.isConst() {
					if why := values(own, p.constant, map[string]string{p.name: p.constant}); why != "" {
						errs = append(errs, fmt.Errorf("%s:%d: rule %q: %s property %s (the CRM's own, a %s): %q: %s",
							ru.file, p.line, ru.name, kind, p.name, ownWords[own], p.constant, why))
					}
					continue
				}
				if !ok || d.spec.Type == "" || p.constant == "" || !constChecked(d.spec, p) {
					continue
				}
				why := values(d.spec.Type, p.constant, map[string]string{p.name: p.constant})
				if why == "" {
					why = notAnOption(d.spec, p.constant)
				}
				if why != "" {
					errs = append(errs, fmt.Errorf("%s:%d: rule %q: %s property %s (%s): %q: %s (declared at %s:%d)",
						ru.file, p.line, ru.name, kind, p.name, d.spec.Type, p.constant, why, d.file, d.line))
				}
			}
		}
	}
	return errs
}

// notAnOption says that v is none of the options declared for an
// enumeration (an enum on Pipedrive, an enumeration on HubSpot): the CRM
// refuses it, and the lead with it. Options match as the CRM matches
// labels, ignoring case and blanks around them; digits may be an option's
// id, not judged. "" when v is one, or none are declared.
func notAnOption(f syncd.FieldSpec, v string) string {
	if (f.Type != "enum" && f.Type != "enumeration") || len(f.Options) == 0 || strings.Trim(v, "0123456789") == "" {
		return ""
	}
	if slices.ContainsFunc(f.Options, func(o string) bool { return strings.EqualFold(strings.TrimSpace(o), strings.TrimSpace(v)) }) {
		return ""
	}
	return fmt.Sprintf("not among the options declared (%s): the CRM refuses it, and the lead with it: add it to options:",
		strings.Join(f.Options, ", "))
}
