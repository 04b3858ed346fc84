package pipedrive

import (
	"fmt"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeOwnField is the CRMError.Code of one of Pipedrive's own fields the
// mappings name as a custom field.
const codeOwnField = "FIELD_OWN"

// ownField reports whether f is one of Pipedrive's own fields (a deal's
// title, value, expected close date, labels, ...), which the Fields API
// lists beside the custom ones under the name a person sees ("Expected
// close date") [pd-f2], but which a write carries outside custom_fields,
// whose keys are "randomly generated 40-character hashes" [pd-sdk
// `AddPersonRequest`, `AddDealRequest`].
func ownField(f field) bool { return !f.Custom && !fieldKeyRE.MatchString(f.Code) }

// apiNames are keys of Pipedrive's own deal and person fields (API v2,
// and v1's names for the deal's owner and labels) that syncd does not
// write, with what to write instead ("" for nothing): a mapping naming
// one would otherwise have `syncd crm setup` make a custom field of that
// name, which nobody reads.
var apiNames = map[syncd.RecordKind]map[string]string{
	syncd.RecordDeal: {"label_ids": "", "label": "", "user_id": "owner_id", "person_id": "", "is_deleted": "", "is_archived": "",
		"archive_time": "", "won_time": "", "lost_time": "", "add_time": "", "update_time": ""},
	syncd.RecordContact: {"label_ids": "", "label": "", "emails": "email", "phones": "phone", "marketing_status": "",
		"add_time": "", "update_time": ""},
}

// ownWords are the problem and fix of name, written in where as a custom
// field of a record of kind k, when it is one of Pipedrive's own fields,
// whose key is code; ok is false when it is not.
func ownWords(k syncd.RecordKind, name, code, where string) (problem, fix string, ok bool) {
	instead, api := apiNames[k][code]
	if !api && !system(k, code) {
		return "", "", false
	}
	if name == code {
		problem = fmt.Sprintf("%s is one of Pipedrive's own %s fields, not a custom field", code, noun(k))
	} else {
		problem = fmt.Sprintf("%q is one of Pipedrive's own %s fields (%s), not a custom field", name, noun(k), code)
	}
	switch {
	case code == "pipeline_id" || code == "stage_id":
		fix = fmt.Sprintf("write it as %s (by name or id) in %s", strings.TrimSuffix(code, "_id"), where)
	case system(k, code):
		fix = fmt.Sprintf("write it by its API name, %s, in %s", code, where)
	case instead != "":
		fix = fmt.Sprintf("write %s instead in %s", instead, where)
	default:
		fix = "syncd does not write it: take it out of " + where
	}
	return problem, fix, true
}

// ownOf is ownWords for a field found by name: one of Pipedrive's own
// whose key syncd knows neither as its own nor as an API name is still
// not a custom field.
func ownOf(k syncd.RecordKind, name string, f field, where string) (problem, fix string) {
	if problem, fix, ok := ownWords(k, name, f.Code, where); ok {
		return problem, fix
	}
	return fmt.Sprintf("%q is one of Pipedrive's own %s fields (%s), not a custom field", name, noun(k), f.Code),
		"syncd does not write it: take it out of " + where
}
