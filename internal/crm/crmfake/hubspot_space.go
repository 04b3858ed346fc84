package crmfake

import (
	"fmt"
	"strings"
)

// hsSpaced is HubSpot's refusal of a value of a property that is not text
// (a number, date, checkbox, dropdown, ...) with leading or trailing white
// space: 400 VALIDATION_ERROR, LEADING_TRAILING_WHITESPACE in the
// message's list, since 2025-04-07 (docs/crm-contracts.md). Each element
// of a multiple checkboxes value counts as a value (the fake's reading of
// "multi-value enumeration property values"); "" when v is taken.
func hsSpaced(p *Property, v string) string {
	if p.Type == "string" || v == "" {
		return ""
	}
	parts := []string{v}
	if p.Type == "enumeration" {
		parts = strings.Split(strings.TrimPrefix(v, ";"), ";")
	}
	for _, part := range parts {
		if part != strings.TrimSpace(part) {
			return refusedList("LEADING_TRAILING_WHITESPACE", p.Name, fmt.Sprintf("%q includes leading or trailing whitespace.", v))
		}
	}
	return ""
}
