package hubspot

import (
	"regexp"
	"strconv"
	"time"
)

// numberValue is a value a number property takes: digits, at most one
// decimal point (docs/crm-contracts.md).
var numberValue = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// ValueProblem says why HubSpot would refuse v as a value of a property
// of type typ, and the whole record with it; "" when it takes it (or
// cannot tell: a string, an enumeration, whose options only the account
// knows). Dates are YYYY-MM-DD or epoch milliseconds at midnight UTC,
// datetimes ISO 8601 or epoch milliseconds (docs/crm-contracts.md).
func ValueProblem(typ, v string) string {
	switch typ {
	case "number":
		if !numberValue.MatchString(v) {
			return "HubSpot takes a number as digits with at most one decimal point (450000.5)"
		}
	case "bool":
		if v != "true" && v != "false" {
			return "HubSpot takes true or false"
		}
	case "date":
		t, ok := hubspotTime(v)
		if !ok || !t.Equal(t.Truncate(24*time.Hour)) {
			return `HubSpot takes a date as YYYY-MM-DD (midnight UTC): write formatDate(…, "2006-01-02", "Europe/Copenhagen")`
		}
	case "datetime":
		if _, ok := hubspotTime(v); !ok {
			return "HubSpot takes a datetime as ISO 8601 (2026-11-30T09:15:00Z) or epoch milliseconds"
		}
	}
	return ""
}

// hubspotTime reads a date or datetime value as HubSpot does.
func hubspotTime(v string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		return d, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t.UTC(), err == nil
}
