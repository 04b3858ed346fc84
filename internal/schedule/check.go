package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Example is a schedule written out, said after what is wrong with one.
const Example = `"0 6 * * *" is 06:00 every day, "*/5 * * * *" every 5 minutes`

// fields are the five fields of a standard cron spec, in their order:
// the name an operator knows each by, robfig/cron's option for it, and
// the values it takes.
var fields = []struct {
	name, a string // a: the name with its article
	option  cron.ParseOption
	values  string
	every   string // what * means in it
}{
	{"minute", "a minute", cron.Minute, "0-59", "every minute"},
	{"hour", "an hour", cron.Hour, "0-23", "every hour"},
	{"day of month", "a day of the month", cron.Dom, "1-31", "every day of the month"},
	{"month", "a month", cron.Month, "1-12 or JAN-DEC", "every month"},
	{"day of week", "a day of the week", cron.Dow, "0-6 (Sunday is 0) or SUN-SAT", "every day of the week"},
}

// fieldOrder names the five fields in their order.
const fieldOrder = "minute, hour, day of month, month, day of week"

// descriptors are the @ words robfig/cron takes, besides "@every".
var descriptors = []string{"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// Check parses spec as Parse does and says, when it is no schedule, what
// is wrong in an operator's words rather than the library's ("end of range
// (60) above maximum (59): 60"): the field by its name (minute, hour, day
// of month, month, day of week), what it takes, and an example.
//
// A spec robfig/cron takes is refused all the same where cron would read it
// otherwise than written (misread), or where it never comes.
func Check(spec string) error {
	if sched, err := parseStandard(spec); err == nil {
		return wellFormed(spec, sched)
	}
	rest := strings.TrimSpace(spec)
	if prefix, _, ok := strings.Cut(rest, "="); ok && !strings.Contains(prefix, " ") &&
		(strings.EqualFold(prefix, "CRON_TZ") || strings.EqualFold(prefix, "TZ")) && prefix != "CRON_TZ" && prefix != "TZ" {
		return fmt.Errorf("%q: cron reads a time zone only after %s= in capitals: write %s=%s (%s)",
			spec, strings.ToUpper(prefix), strings.ToUpper(prefix), strings.TrimPrefix(rest, prefix+"="), Example)
	}
	if strings.HasPrefix(rest, "CRON_TZ=") || strings.HasPrefix(rest, "TZ=") {
		zone, after, _ := strings.Cut(rest, " ")
		name := zone[strings.Index(zone, "=")+1:]
		if _, err := time.LoadLocation(name); err != nil {
			return fmt.Errorf("%q: %s names no time zone: write one as Europe/Copenhagen, or leave %s out to use the "+
				"configured time zone (%s)", spec, zone, zone[:strings.Index(zone, "=")+1], Example)
		}
		rest = strings.TrimSpace(after)
		if rest == "" {
			return fmt.Errorf("%q names a time zone and no time: write the schedule after it, as %q (%s)",
				spec, zone+" 0 6 * * *", Example)
		}
	}
	if rest == "" {
		return fmt.Errorf("%q names no time: write five fields, %s (%s)", spec, fieldOrder, Example)
	}
	if strings.HasPrefix(rest, "@") {
		return descriptorProblem(spec, rest)
	}
	return fieldProblem(spec, strings.Fields(rest))
}

// descriptorProblem says what is wrong with a spec written as @word.
func descriptorProblem(spec, rest string) error {
	word, arg, _ := strings.Cut(rest, " ")
	if word == "@every" {
		return fmt.Errorf("%q: %q is no duration: @every takes one such as 90s, 15m or 2h (%s)", spec, strings.TrimSpace(arg), Example)
	}
	msg := fmt.Sprintf("%q: %s is not one of the @ words (@every DURATION, %s)", spec, word, strings.Join(descriptors, ", "))
	if near := suggest.Nearest(word, descriptors); near != "" {
		return fmt.Errorf("%s: did you mean %s?", msg, near)
	}
	return fmt.Errorf("%s: or write five fields (%s)", msg, Example)
}

// fieldProblem says what is wrong with a spec of fields: their number, or
// the first field that does not parse.
func fieldProblem(spec string, got []string) error {
	const order = fieldOrder
	switch {
	case len(got) == 6:
		return fmt.Errorf("%q has 6 fields, where a schedule has 5: %s; a first field of seconds, as Quartz and "+
			"Spring write them, is not read: leave it out (%s)", spec, order, Example)
	case len(got) == 1 && suggest.Nearest("@"+got[0], descriptors) != "":
		return fmt.Errorf("%q has 1 field, where a schedule has 5: %s (did you mean %s? %s)", spec, order,
			suggest.Nearest("@"+got[0], descriptors), Example)
	case len(got) != 5 && strings.EqualFold(got[0], "every"):
		return fmt.Errorf("%q has %s, where a schedule has 5: %s; for an interval, write @every and a "+
			"duration: @every 1m (%s)", spec, syncd.Counted(len(got), "field", "fields"), order, Example)
	case len(got) != 5:
		return fmt.Errorf("%q has %s, where a schedule has 5: %s (%s)", spec, syncd.Counted(len(got), "field", "fields"), order, Example)
	}
	for i, f := range fields {
		if _, err := cron.NewParser(f.option).Parse(got[i]); err == nil {
			continue
		}
		msg := fmt.Sprintf("%q: the %s field (field %d of 5: %s), %q, is not %s: write %s, * for every one, "+
			"a range (1-5), a list (1,15) or a step (*/15)", spec, f.name, i+1, order, got[i], f.a, f.values)
		if f.option == cron.Dow && slices.Contains(strings.FieldsFunc(got[i], isSeparator), "7") {
			msg += "; Sunday is 0, not 7"
		}
		return errors.New(msg + " (" + Example + ")")
	}
	return fmt.Errorf("%q is not a schedule: write five fields, %s (%s)", spec, order, Example) // not expected: each field parses
}

// isSeparator reports whether r parts the values of a cron field.
func isSeparator(r rune) bool { return r == ',' || r == '-' || r == '/' }
