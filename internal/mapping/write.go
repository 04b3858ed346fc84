package mapping

import (
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// A property's mapping may say when it is written, next to its path, const
// or expr:
//
//	stage_id: {const: "1", write: create}        # only when the deal is created
//	email: {path: payload.client.email, write: add}  # added to the person's emails
//
// write: always (the default) writes it on create and on every update;
// create only on create, so what people change in the CRM stays; add, for
// multi-value fields (Pipedrive persons' email and phone), adds the value
// to the record's list when it is not there yet, never replacing the list.

// multiValued lists, per target, the contact properties that hold a list
// of values, which alone may be written with add.
var multiValued = map[string]map[string]bool{
	"pipedrive": {"email": true, "phone": true},
}

// writeMode takes the write entry out of a property's mapping entries.
func (p *parser) writeMode(kvs []pair, ru *rule, where string) ([]pair, syncd.WriteMode, bool) {
	out := kvs[:0:0]
	mode, ok := syncd.WriteAlways, true
	for _, kv := range kvs {
		if kv.key.Value != "write" {
			out = append(out, kv)
			continue
		}
		s, good := p.scalar(kv.val, ru.name, where+".write")
		switch {
		case !good:
			ok = false
		case s == "always":
		case s == "create":
			mode = syncd.WriteCreate
		case s == "add":
			mode = syncd.WriteAdd
		default:
			p.errf(kv.val.Line, ru.name, "%s.write: %q is not always, create or add", where, s)
			ok = false
		}
	}
	return out, mode, ok
}

// checkModes reports properties written with add that hold one value, and
// a property given different write modes by two rules: a CRM field is
// written the same way whichever rule maps it.
func (rs *Rules) checkModes(errs *LoadErrors) {
	rs.modes = syncd.WriteModes{}
	type where struct {
		mode syncd.WriteMode
		ru   *rule
		line int
	}
	seen := map[syncd.RecordKind]map[string]where{}
	for _, ru := range rs.rules {
		for _, b := range []struct {
			kind  syncd.RecordKind
			props []prop
		}{{syncd.RecordContact, ru.contact}, {syncd.RecordDeal, ru.deal}} {
			if seen[b.kind] == nil {
				seen[b.kind], rs.modes[b.kind] = map[string]where{}, map[string]syncd.WriteMode{}
			}
			for _, pr := range b.props {
				if pr.mode == syncd.WriteAdd && (b.kind != syncd.RecordContact || !multiValued[rs.target][pr.name]) {
					*errs = append(*errs, &LoadError{File: ru.file, Line: pr.line, Rule: ru.name,
						Msg: fmt.Sprintf("%s.%s: write: add is only for fields that hold a list (%s): write create (only as the "+
							"record is made) or always (every time, the default) instead", b.kind, pr.name, listNames(rs.target))})
				}
				if w, dup := seen[b.kind][pr.name]; dup && w.mode != pr.mode {
					*errs = append(*errs, &LoadError{File: ru.file, Line: pr.line, Rule: ru.name,
						Msg: fmt.Sprintf("%s.%s: write: %s, but %s:%d writes it %s: a field is written one way by every rule "+
							"(always where no write: is given): give both the same write:",
							b.kind, pr.name, modeName(pr.mode), w.ru.file, w.line, modeName(w.mode))})
					continue
				}
				seen[b.kind][pr.name] = where{pr.mode, ru, pr.line}
				if pr.mode != syncd.WriteAlways {
					rs.modes[b.kind][pr.name] = pr.mode
				}
			}
		}
	}
}

func modeName(m syncd.WriteMode) string {
	if m == syncd.WriteAlways {
		return "always"
	}
	return string(m)
}

// listNames names the target's fields that hold a list, as a write:
// add refusal says them.
func listNames(target string) string {
	switch target {
	case "pipedrive":
		return "a person's email and phone"
	case "hubspot":
		return "HubSpot has none"
	}
	return "none in " + target
}

// Modes are the write modes the mapping files give the target's properties.
func (rs *Rules) Modes() syncd.WriteModes { return rs.modes }

// listsReplaced lists the list fields (a Pipedrive person's email and
// phone) written without a write mode: each update sets the whole list
// to the lead's one value, so what a salesperson added to it is lost.
func (rs *Rules) listsReplaced() LoadErrors {
	var ws LoadErrors
	for _, ru := range rs.rules {
		for _, pr := range ru.contact {
			if pr.mode == syncd.WriteAlways && multiValued[rs.target][pr.name] {
				ws = append(ws, &LoadError{File: ru.file, Line: pr.line, Rule: ru.name, Msg: fmt.Sprintf(
					"contact.%s: every update replaces the person's whole list of %ss with this one value, so those a salesperson added are lost; write: add adds it to the list instead (write: create writes it only when the person is created)",
					pr.name, pr.name)})
			}
		}
	}
	return ws
}
