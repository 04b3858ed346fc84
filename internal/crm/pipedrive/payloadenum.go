package pipedrive

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkPayloadOptions warns of values from the payload written into an
// enum or set field whose options the mappings do not declare (a field of
// the account's own, say): the check cannot know them, and syncd refuses
// a lead whose value is none of the field's options, which is
// dead-lettered. Before, the check called such an account ready, as
// HubSpot's does not. Declared options are checked instead (checkOptions).
func checkPayloadOptions(f field, s syncd.FieldSpec) []syncd.Finding {
	if !s.Dynamic || len(s.Options) > 0 || (f.Type != "enum" && f.Type != "set") {
		return nil
	}
	labels := make([]string, 0, len(f.Options))
	for _, o := range f.Options {
		labels = append(labels, strconv.Quote(o.Label))
	}
	if len(labels) > 10 {
		labels = append(labels[:10], "…")
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: objectOfKind[s.Kind], Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("%s writes values from the payload into %s field %q, of type %s: a lead whose value is not one of its options (%s), "+
			"by label or id, is refused and dead-lettered", s.WhereDynamic(), noun(s.Kind), f.Name, f.Type, strings.Join(labels, ", ")),
		Fix: "add the values the portal sends as options in Pipedrive, or map them to its options in " + s.WhereDynamic() +
			" (and declare them in the mappings' fields: section, which the check then compares)"}}
}

// checkPayloadType warns of values from the payload written into a field
// of a type that takes only some values (a number, a date, ...) while the
// mappings declare no type for it, so that `syncd crm setup` would have
// made it text: one made otherwise by hand, say. syncd refuses a lead
// whose value that type cannot take, and it is dead-lettered; before, the
// check called such an account ready, as HubSpot's does not. Declaring
// the type says it is meant so (and `syncd validate` then judges the
// examples' values). Enum and set fields are checkPayloadOptions'.
func checkPayloadType(f field, s syncd.FieldSpec) []syncd.Finding {
	if !s.Dynamic || s.Type != "" || !slices.Contains(strictTypes, f.Type) {
		return nil
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: objectOfKind[s.Kind], Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("%s writes values from the payload into %s field %q, of type %s, and the mappings declare no type for it "+
			"(`syncd crm setup` makes such a field text): a lead whose value a %s field cannot take is refused and dead-lettered",
			s.WhereDynamic(), noun(s.Kind), f.Name, f.Type, f.Type),
		Fix: fmt.Sprintf("if it is meant so, declare its type in the mappings' fields: section (%s: {type: %s}); else map the value into a text field "+
			"(Pipedrive cannot change a field's type)", s.Name, f.Type)}}
}

// strictTypes are the Pipedrive field types that take only some texts.
var strictTypes = []string{"double", "monetary", "int", "date", "daterange", "time", "timerange", "boolean", "user", "org", "people"}
