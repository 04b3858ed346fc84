package syncd

import "strconv"

// Counted is n with the noun that fits it, as people write a count: "1
// event", "0 events", "2 events" (one is the singular, many the plural).
// Operator and person alike read "1 events" as a slip.
func Counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
