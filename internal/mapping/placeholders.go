package mapping

import (
	"fmt"
	"regexp"
)

// placeholderKey is the form of the stand-in field keys the shipped
// Pipedrive mappings carried (CF_PERSON_COMPANY, CF_DEAL_LEAD_ID, ...)
// before fields were named by name.
var placeholderKey = regexp.MustCompile(`^CF_[A-Z0-9_]+$`)

// placeholders lists every property still named by a placeholder key, with
// its file and line: a mapping that would have every record refused by the
// CRM. Loading refuses such mappings, so that `syncd validate`, the daemon
// and its reload agree.
func (r *Rules) placeholders() LoadErrors {
	var errs LoadErrors
	for _, ru := range r.rules {
		for _, b := range []struct {
			block string
			props []prop
		}{{"contact", ru.contact}, {"deal", ru.deal}} {
			for _, p := range b.props {
				if placeholderKey.MatchString(p.name) {
					errs = append(errs, &LoadError{File: ru.file, Line: p.line, Rule: ru.name, Msg: fmt.Sprintf(
						"%s.%s: placeholder key: replace it with the field's name as the CRM shows it (Pipedrive: Settings > Data fields)", b.block, p.name)})
				}
			}
		}
	}
	errs.sort()
	return errs
}
