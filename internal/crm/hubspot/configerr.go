package hubspot

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
)

// configCodes are HubSpot's error codes that mean the account is set up
// wrong for the mappings rather than that one record is bad. A property
// whose value HubSpot calculates (READ_ONLY_VALUE) refuses every lead's
// value alike: the mapping must stop writing it.
var configCodes = map[string]bool{"PROPERTY_DOESNT_EXIST": true, "INVALID_OPTION": true, "READ_ONLY_VALUE": true}

// nonUniqueRE reads the property out of HubSpot's answer to an upsert by a
// property without unique values: "Unable to perform update/upsert by
// non-unique 0-3 property syncd_lead_id in portal ID 123" (the property is
// only in the message text).
var nonUniqueRE = regexp.MustCompile(`non-unique \S+ property (\S+)`)

// invalidOptionRE reads the refused value out of an INVALID_OPTION message
// ("nope was not one of the allowed options", or for a deal stage "nope is
// not a valid pipeline stage ID. Valid options are: …"; the value maybe
// quoted).
var invalidOptionRE = regexp.MustCompile(`^"?(.*?)"? (?:was not one of the allowed options|is not a valid pipeline stage ID)`)

// refusedPrefix starts HubSpot's message for property values it refuses;
// a JSON list of what it refused follows: [{"isValid":false,"message":
// "Property \"x\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x"}].
const refusedPrefix = "Property values were not valid: "

// refused is one entry of the list a refusedPrefix message holds.
type refused struct {
	Message string `json:"message"`
	Error   string `json:"error"`
	Name    string `json:"name"`
}

// refusedIn reads the list of refused values out of a message; nil when
// the message holds none.
func refusedIn(msg string) []refused {
	rest, ok := strings.CutPrefix(msg, refusedPrefix)
	var list []refused
	if !ok || json.Unmarshal([]byte(rest), &list) != nil {
		return nil
	}
	return list
}

// accountRefusal reads, from a batch error's message (a 207 names the code
// in the message alone), a refusal that is the account's rather than the
// record's, as a 400 saying it is taken (see split): a property that does
// not exist, one HubSpot calculates (READ_ONLY_VALUE), or a pipeline, stage
// or owner that is not an option, which the account may have deleted under
// the mappings (the syncer's check tells that from the record's own). It
// returns the refusal's code and property.
func accountRefusal(msg string) (refused, bool) {
	for _, r := range refusedIn(msg) {
		if r.Error == "PROPERTY_DOESNT_EXIST" || r.Error == "READ_ONLY_VALUE" || r.Error == "INVALID_OPTION" && accountOptions(r.Name) {
			return r, true
		}
	}
	return refused{}, false
}

// configInMessage reads a configuration error out of the message's list,
// for an answer without errors[] (every field of HubSpot's errors is
// optional).
func configInMessage(msg string) (p problem, ok bool) {
	for _, r := range refusedIn(msg) {
		if configCodes[r.Error] {
			p.property = r.Name
			if m := invalidOptionRE.FindStringSubmatch(r.Message); r.Error == "INVALID_OPTION" && m != nil {
				p.value = m[1]
			}
			return p, true
		}
	}
	return p, false
}

// problem is what a configuration error's answer says.
type problem struct {
	property string // the property at fault; "" when the answer does not say
	value    string // INVALID_OPTION: the value refused, when the answer says
}

// configProblem reports whether a 400 answer means a configuration error,
// and what it names.
func configProblem(resp *crm.Response) (p problem, ok bool) {
	e, ok := validationOf(resp)
	if !ok {
		return p, false
	}
	if m := nonUniqueRE.FindStringSubmatch(e.Message); m != nil {
		return problem{property: m[1]}, true
	}
	for _, x := range e.Errors {
		if !configCodes[x.Code] {
			continue
		}
		if len(x.Context.PropertyName) > 0 {
			p.property = x.Context.PropertyName[0]
		}
		if m := invalidOptionRE.FindStringSubmatch(x.Message); x.Code == "INVALID_OPTION" && m != nil {
			p.value = m[1]
		}
		return p, true
	}
	return configInMessage(e.Message)
}

// validation is a 400 answer's body: its message and the errors it lists,
// each with the properties it names.
type validation struct {
	Message string `json:"message"`
	Errors  []struct {
		Message string `json:"message"`
		Code    string `json:"code"`
		Context struct {
			PropertyName []string `json:"propertyName"`
		} `json:"context"`
	} `json:"errors"`
}

// validationOf reads resp as a 400 answer's body; ok is false for another
// status or a body that does not parse.
func validationOf(resp *crm.Response) (e validation, ok bool) {
	if resp.Status != http.StatusBadRequest || json.Unmarshal(resp.Body, &e) != nil {
		return validation{}, false
	}
	return e, true
}

// blame splits inputs refused for an invalid option by the value they
// carry: when only some carry the refused value, the value is theirs (from
// the payload) and not the account's, and they alone are bad.
func blame(inputs []input, p problem) (bad, good []input) {
	if p.property == "" || p.value == "" {
		return nil, inputs
	}
	for _, in := range inputs {
		if in.Properties[p.property] == p.value {
			bad = append(bad, in)
		} else {
			good = append(good, in)
		}
	}
	return bad, good
}

// typeCodes are HubSpot's codes for a value its property's type cannot
// take: text in a number property, a time of day in a date property
// (docs/crm-contracts.md), and a word in a single checkbox (crmfake's code:
// HubSpot's is unconfirmed).
var typeCodes = map[string]bool{"INVALID_INTEGER": true, "INVALID_DATE": true, "INVALID_BOOLEAN": true}

// typeRefused returns the property a 400 answer says cannot take a value
// of that type; "" when it says none.
func typeRefused(resp *crm.Response) string {
	e, ok := validationOf(resp)
	if !ok {
		return ""
	}
	for _, x := range e.Errors {
		if typeCodes[x.Code] && len(x.Context.PropertyName) > 0 {
			return x.Context.PropertyName[0]
		}
	}
	r, _ := typeRefusedIn(e.Message)
	return r.Name
}

// typeRefusedIn reads, from the list in an answer's message, the first
// value refused for its property's type.
func typeRefusedIn(msg string) (refused, bool) {
	for _, r := range refusedIn(msg) {
		if typeCodes[r.Error] {
			return r, true
		}
	}
	return refused{}, false
}

// refusedValue is the first property value a 400 answer refuses, with
// HubSpot's code for why (INVALID_EMAIL, INVALID_DATE, ...): from errors[]
// when the answer has them, else from the list in its message, as real
// answers often hold it (docs/crm-contracts.md).
func refusedValue(resp *crm.Response) (refused, bool) {
	e, ok := validationOf(resp)
	if !ok {
		return refused{}, false
	}
	for _, x := range e.Errors {
		if x.Code != "" && len(x.Context.PropertyName) > 0 {
			return refused{Message: x.Message, Error: x.Code, Name: x.Context.PropertyName[0]}, true
		}
	}
	for _, r := range refusedIn(e.Message) {
		if r.Error != "" && r.Name != "" {
			return r, true
		}
	}
	return refused{}, false
}
