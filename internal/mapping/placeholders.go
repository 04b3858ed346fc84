package mapping

import (
	"fmt"
	"regexp"
)

// placeholderKey is the form of the stand-in field keys the shipped
// Pipedrive mappings carry (CF_PERSON_COMPANY, CF_DEAL_LEAD_ID, ...):
// Pipedrive knows fields only by per-account 40-character keys.
var placeholderKey = regexp.MustCompile(`^CF_[A-Z0-9_]+$`)

// Placeholders lists every property still named by a placeholder key, with
// its file and line: a mapping that would have every record refused by the
// CRM. `syncd validate` refuses such mappings.
func (r *Rules) Placeholders() LoadErrors {
	var errs LoadErrors
	for _, ru := range r.rules {
		for _, b := range []struct {
			block string
			props []prop
		}{{"contact", ru.contact}, {"deal", ru.deal}} {
			for _, p := range b.props {
				if placeholderKey.MatchString(p.name) {
					errs = append(errs, &LoadError{File: ru.file, Line: p.line, Rule: ru.name, Msg: fmt.Sprintf(
						"%s.%s: placeholder key: replace it with the field's 40-character API key from your CRM (Pipedrive: Settings > Data fields)", b.block, p.name)})
				}
			}
		}
	}
	errs.sort()
	return errs
}
