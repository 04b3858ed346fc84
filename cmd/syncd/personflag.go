package main

import (
	"flag"
	"fmt"
	"strings"
)

// personFlag is erase's or export's -email or -phone: one value. The flag
// package keeps the last of a flag given twice and drops the others
// unsaid: "export -email A -email B", as a DPO types it for a person who
// wrote from two addresses, exported B alone, exit 0, and "erase" erased B
// alone, saying "erased: ...", the person's leads under A kept. values
// holds each given, for givenOnce to refuse.
type personFlag struct {
	name   string
	value  string
	values []string
}

func (f *personFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

// Set records v, and keeps it as the value.
func (f *personFlag) Set(v string) error {
	f.values = append(f.values, v)
	f.value = v
	return nil
}

// subjectFlags defines -email and -phone in fs, as erase and export take
// them.
func subjectFlags(fs *flag.FlagSet) (email, phone *personFlag) {
	email, phone = &personFlag{name: "email"}, &personFlag{name: "phone"}
	fs.Var(email, "email", emailUsage)
	fs.Var(phone, "phone", phoneUsage)
	return email, phone
}

// givenOnce refuses -email or -phone given more than once, saying what to
// run instead for command (erase or export): each address (or number) of
// the person on its own, nothing done meanwhile.
func givenOnce(command string, flags ...*personFlag) error {
	for _, f := range flags {
		if len(f.values) < 2 {
			continue
		}
		what := "address"
		if f.name == "phone" {
			what = "number"
		}
		done := "exported"
		if command == "erase" {
			done = "erased"
		}
		return fmt.Errorf("-%s given %d times (%s): it takes one %s, so nothing was %s; for a person who wrote from "+
			"several, run syncd %s -%s %s once for each, and keep or hand over what each says",
			f.name, len(f.values), strings.Join(f.values, ", "), what, done, command, f.name, strings.ToUpper(what))
	}
	return nil
}
