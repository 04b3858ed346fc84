package pipedrive

import (
	"errors"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeFieldType is the CRMError.Code of a value refused because the
// account's field is of another type than the mappings declare.
const codeFieldType = "FIELD_TYPE"

// accountsType turns the refusal err of a value (INVALID_PROPERTY) into
// the account's configuration error when the mappings declare the field's
// type, the account's field is of another, and the value is one the
// declared type takes: every lead's value would be refused alike (a date
// in a field made by hand as a number), so the adapter pauses with the
// check's finding, as HubSpot's does (declaredTakes), instead of
// dead-lettering every lead with advice to enter it by hand. Other errors
// are returned as they are.
func (a *Adapter) accountsType(err error, sc *schema, kind syncd.RecordKind, props map[string]string) error {
	var ce *syncd.CRMError
	if !errors.As(err, &ce) || ce.Class != syncd.ErrPermanent || ce.Code != "INVALID_PROPERTY" || ce.Property == "" {
		return err
	}
	spec, ok := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: ce.Property}]
	if !ok || spec.Type == "" {
		return err
	}
	f, ferr := sc.field(kind, ce.Property)
	if ferr != nil || !otherType(spec.Type, f.Type) {
		return err
	}
	if _, terr := typed(field{Name: f.Name, Type: spec.Type}, props[ce.Property], props); terr != nil {
		return err // not even of the declared type: the lead's own value
	}
	where := spec.Where
	if where == "" {
		where = "the mappings"
	}
	return &syncd.CRMError{Class: syncd.ErrConfig, Code: codeFieldType, Property: ce.Property, Plain: true,
		Message: fmt.Sprintf("%s field %q in Pipedrive is of type %s, the mappings declare %s (%s): it refuses every lead's value "+
			"alike; %s", noun(kind), ce.Property, f.Type, spec.Type, where, typeFix(spec.Type, f.Type, where))}
}

// typeFix is what to do about a field of type has where the mappings
// declare declared (in where): crm check's fix, crm setup's and the
// pause's. Pipedrive does not change a custom field's type (its update
// takes no field_type), so the field is made again, or the declaration
// follows the field. A field renamed aside is not taken for the one the
// mappings mean (usableKey).
func typeFix(declared, has, where string) string {
	return fmt.Sprintf("Pipedrive cannot change a field's type: delete the field in Pipedrive (Settings > Data fields; what records hold in it "+
		"goes with it), or rename it there to keep that, and run `syncd crm setup`, which makes it a %s field; "+
		"or declare it %s in %s and write values a %s field takes",
		declared, has, where, has)
}
