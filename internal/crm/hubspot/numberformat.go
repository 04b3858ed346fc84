package hubspot

import (
	"fmt"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// checkDynamicNumber warns of values from the payload written into a
// number property of the account's own (not a syncd_* one, which
// checkDynamicType covers, nor the deal's amount, which the mappings know
// to hold a number) that the mappings declare no type for. HubSpot takes a
// number as digits with at most one decimal point: a sender's "450.000"
// (Danish thousands) is 450 there, with no error, and "1.250,5" refuses the
// lead. The mappings read a sender's number with number() and warn of one
// written as it is only into a property they know holds a number (a
// declared type), which this one is not.
func checkDynamicNumber(obj string, s syncd.FieldSpec, p property) []syncd.Finding {
	if !s.Dynamic || s.Type != "" || s.Unique || p.Type != "number" || strings.HasPrefix(s.Name, "syncd_") ||
		(s.Kind == syncd.RecordDeal && s.Name == "amount") {
		return nil
	}
	return []syncd.Finding{{Severity: syncd.SevWarn, Object: obj, Name: s.Name, Property: s.Name,
		Problem: fmt.Sprintf("%s writes values from the payload into %s, a number property, and the mappings declare no type for it: "+
			"HubSpot reads a point as the decimal mark, so a number a sender writes as people do (\"450.000\" in Denmark) "+
			"is another number there (450), with no error, or the lead is refused (\"1.250,5\")",
			s.WhereDynamic(), s.Name),
		Fix: fmt.Sprintf("declare it in the mappings' fields: section (%s: {type: number}): syncd validate then names each rule "+
			"that writes a sender's text into it as it is, to be read with {expr: 'number(...)'}", s.Name)}}
}
