package hubspot

import (
	"fmt"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// codeRequired is the CRMError.Code of a write refused for a property
// that the mappings do not write: an account that requires it (the
// syncer's codeRequired, one of its accountCodes: it pauses, never
// dead-letters the lead, and its pause's reason says that no check sees it).
const codeRequired = "PROPERTY_REQUIRED"

// unwrittenRequired is the account's configuration error for a write of
// records (their properties in props) of object that HubSpot refused
// (resp) naming a property none of them carries and the mappings do not
// write: no lead's value can be at fault, every new record would be
// refused alike (an account whose admin made a property required). nil
// when the refusal names no such property. Before, the syncer took it for
// each lead's own fault: the batch was halved down to single leads and
// every lead dead-lettered, "crm refused the record's own value". The
// contract names no such refusal (HubSpot's property has no "required"
// flag); it reads HubSpot's 400 VALIDATION_ERROR, whichever code it gives.
// A contact's email, first and last name are left out: HubSpot asks for
// one of them, and a lead that left none is its own.
func (a *Adapter) unwrittenRequired(object string, resp *crm.Response, ce *syncd.CRMError, props ...map[string]string) *syncd.CRMError {
	r, ok := refusedValue(resp)
	if !ok || r.Name == "" {
		return nil
	}
	kind, noun := syncd.RecordDeal, "deal"
	if object == "contacts" {
		kind, noun = syncd.RecordContact, "contact"
		if r.Name == "email" || r.Name == "firstname" || r.Name == "lastname" {
			return nil
		}
	}
	if _, written := (*a.fields.Load())[syncd.FieldRef{Kind: kind, Name: r.Name}]; written {
		return nil
	}
	for _, p := range props {
		if p[r.Name] != "" {
			return nil
		}
	}
	why := r.Error
	if r.Message != "" {
		why += ": " + r.Message
	}
	return &syncd.CRMError{Status: ce.Status, Code: codeRequired, Class: syncd.ErrConfig, Property: r.Name, Plain: true,
		Message: fmt.Sprintf("HubSpot refuses every new %s without %s property %q, which the mappings do not write (%s): "+
			"the account requires it; write it in the mappings (%s: {const: ...} in each rule's %s, or from the payload), "+
			"or make it optional in HubSpot",
			noun, noun, r.Name, why, r.Name, noun)}
}
