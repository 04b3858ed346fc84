package hubspot

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// sayConfig puts the refusals in results of a property the account does
// not have (PROPERTY_DOESNT_EXIST) or calculates itself (READ_ONLY_VALUE)
// in plain words: which property, on which object, and what to do, with
// the mapping line that writes it. HubSpot's message was passed on as it
// came, a JSON list ("Property values were not valid: [{"isValid":false,
// …}]"), which `syncd status` printed as the reason of the pause.
// HubSpot's own words stay in the debug line of the syncer's "crm message".
func (a *Adapter) sayConfig(kind syncd.RecordKind, results []syncd.Result) {
	said := map[*syncd.CRMError]*syncd.CRMError{} // a batch's inputs share one error
	for i := range results {
		ce, ok := results[i].Err.(*syncd.CRMError)
		if !ok || ce.Class != syncd.ErrConfig || ce.Property == "" {
			continue
		}
		plain, done := said[ce]
		if !done {
			plain = a.plainConfig(kind, ce)
			said[ce] = plain
		}
		if plain != nil {
			results[i].Err = plain
		}
	}
}

// plainConfig is ce with a message in plain words, or nil when its code
// is not one sayConfig words.
func (a *Adapter) plainConfig(kind syncd.RecordKind, ce *syncd.CRMError) *syncd.CRMError {
	obj, name := objectOf(kind), ce.Property
	f, written := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: name}]
	// What to stop writing is every line that names it (its declaration
	// and the rules writing it); a value refused, the lines writing it
	// (the rule writing the payload's when the mappings write no such
	// constant); a type, its declaration. Before, each named the first
	// line alone: the declaration, not the rule that writes it.
	where := cmp.Or(f.Where, "the mapping files")
	lines := cmp.Or(f.Lines(), "the mapping files")
	var msg string
	switch ce.Code {
	case "PROPERTY_DOESNT_EXIST":
		own := strings.HasPrefix(name, "syncd_") || f.Unique || name == a.opts.DealKeyProperty ||
			name != "" && name == a.opts.ContactKeyProperty
		if own {
			msg = fmt.Sprintf("property %s does not exist on %s in the HubSpot account: run `syncd crm setup`, which creates syncd's own properties", name, obj)
		} else {
			msg = fmt.Sprintf("property %s does not exist on %s in the HubSpot account: create it on %s in HubSpot, or stop writing it (%s)", name, obj, obj, lines)
		}
	case "INVALID_OPTION":
		v := optionRefused(ce.Message, name)
		if written && unwrittenOption(name, f, v) {
			plain := *ce
			plain.Code, plain.Plain = syncd.CodeOptionNotWritten, true
			plain.Message = fmt.Sprintf("property %s on %s in the HubSpot account has no option %q, which the mappings as loaded "+
				"no longer write (they write %s: %s): the lead was mapped before they changed", name, obj, v,
				strings.Join(f.Values, ", "), strings.Join(f.PlacesOfValues(), ", "))
			return &plain
		}
		where := cmp.Or(f.WhereDynamic(), "the mapping files")
		if _, ok := f.ValueWhere[v]; ok {
			where = strings.Join(f.PlacesOf(v), ", ")
		}
		msg = fmt.Sprintf("property %s on %s in the HubSpot account has no option %q: %s (%s)",
			name, obj, v, optionFix(name), where)
		if pid := stagePipeline(ce.Message); name == "dealstage" && pid != "" {
			// HubSpot checks a stage against one pipeline, which its
			// answer names: "has no option" and "write a stage of the
			// pipeline written" said nothing of a stage of another
			// pipeline, written without its own.
			msg = fmt.Sprintf("deal stage %q is not a stage of pipeline %s in the HubSpot account, the pipeline written, or the default one "+
				"when none is: write the pipeline the stage is in beside it, or a stage of pipeline %s (%s); syncd crm check names both",
				v, pid, pid, where)
		}
	case "INVALID_INTEGER", "INVALID_DATE", "INVALID_BOOLEAN":
		msg = fmt.Sprintf("property %s on %s in the HubSpot account refuses every lead's value alike (%s), values of the type "+
			"the mappings declare (%s, %s): syncd crm check says its type; change the property's type in HubSpot, or the declaration",
			name, obj, ce.Code, f.Type, where)
	case "READ_ONLY_VALUE":
		msg = fmt.Sprintf("property %s on %s is one HubSpot calculates and nobody can write: stop writing it (%s)", name, obj, lines)
	default:
		return nil
	}
	plain := *ce
	plain.Message, plain.Plain = msg, true
	return &plain
}

// unwrittenOption reports whether v, a value HubSpot refused as no option
// of property name (f as the mappings as loaded write it), is one they no
// longer write: name is a pipeline, stage or owner, sent as mapped (asTaken leaves
// their values as they are), the mappings write it constants alone, and v
// is none of them. A HubSpot account's stage ids are its own: the
// operator wrote the account's id in the mapping, as the pause said, and
// reloaded, and the lead mapped before, still carrying the shipped
// appointmentscheduled, was dead-lettered as "the record's own value",
// its fix saying first to enter it by hand.
func unwrittenOption(name string, f syncd.FieldSpec, v string) bool {
	return accountOptions(name) && !f.Dynamic && v != "" && len(f.Values) > 0 && !slices.Contains(f.Values, v)
}

// optionRefused is the value an INVALID_OPTION refusal of property name
// names: from the list in HubSpot's message, else the message itself.
func optionRefused(msg, name string) string {
	for _, r := range refusedIn(msg) {
		if r.Name == name && r.Error == "INVALID_OPTION" {
			msg = r.Message
			break
		}
	}
	if m := invalidOptionRE.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// stagePipelineRE reads the pipeline a refused deal stage was checked
// against out of HubSpot's message: "5678 is not a valid pipeline stage
// ID. Valid options are: pipelineId=default : [appointmentscheduled, …]".
var stagePipelineRE = regexp.MustCompile(`is not a valid pipeline stage ID\. Valid options are: pipelineId=(\S+) :`)

// stagePipeline is the pipeline an INVALID_OPTION refusal of a deal stage
// names, from the list in HubSpot's message or the message itself; ""
// when it names none.
func stagePipeline(msg string) string {
	for _, r := range refusedIn(msg) {
		if r.Name == "dealstage" && r.Error == "INVALID_OPTION" {
			msg = r.Message
			break
		}
	}
	if m := stagePipelineRE.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

// optionFix is what to do of a value a property refused as no option of
// its own: a pipeline and its stages are ids the account names.
func optionFix(name string) string {
	switch name {
	case "dealstage":
		return "write the id of a stage of the pipeline written, or add the stage in HubSpot"
	case "pipeline":
		return "write the id of one of the account's deal pipelines"
	case "hubspot_owner_id":
		// HubSpot's words do not tell an owner whose user was deactivated
		// (archived) from an id no owner has; the check reads both lists.
		return "write the id of one of the account's active owners; syncd crm check says whether this one's user was deactivated"
	}
	return "write one of its options, or add it in HubSpot"
}
