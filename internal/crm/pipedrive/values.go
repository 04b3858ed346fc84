package pipedrive

// ValueProblem says why syncd could not write v into a Pipedrive field of
// type typ (API v2 coerces nothing: a number field takes a number, a date
// field a date; an amount takes its currency, from v or from the deal's
// currency property in record), and the lead would be dead-lettered; ""
// when it can (or cannot tell: text, or options only the account knows).
func ValueProblem(typ, v string, record map[string]string) string {
	switch typ {
	case "double", "int", "date", "boolean", "monetary", "time", "timerange", "daterange":
		if _, err := typed(field{Name: "value", Type: typ}, v, record); err != nil {
			return "Pipedrive takes " + map[string]string{"double": "a number (450000.5)", "int": "a whole number",
				"date": "a date (YYYY-MM-DD, or an RFC 3339 time)", "boolean": "true or false",
				"monetary":  `an amount with its currency ("450000 DKK"), or the amount beside the deal's currency property (currency: {const: DKK})`,
				"time":      `a time of day ("09:00", "09:00:00", optionally followed by its zone: "09:00 Europe/London")`,
				"timerange": `two times of day ("09:00-17:00", optionally followed by their zone: "09:00-17:00 Europe/London")`,
				"daterange": `two dates ("2026-12-01/2026-12-24" or "2026-12-01 to 2026-12-24")`}[typ]
		}
	}
	return ""
}
