package pipedrive

// ValueProblem says why syncd could not write v into a Pipedrive field of
// type typ (API v2 coerces nothing: a number field takes a number, a date
// field a date), and the lead would be dead-lettered; "" when it can (or
// cannot tell: text, or options only the account knows).
func ValueProblem(typ, v string) string {
	switch typ {
	case "double", "int", "date", "boolean":
		if _, err := typed(field{Name: "value", Type: typ}, v, nil); err != nil {
			return "Pipedrive takes " + map[string]string{"double": "a number (450000.5)", "int": "a whole number",
				"date": "a date (YYYY-MM-DD, or an RFC 3339 time)", "boolean": "true or false"}[typ]
		}
	}
	return ""
}
