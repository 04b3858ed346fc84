package syncd

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// FieldSpec is one CRM property (Pipedrive: field) that the mapping files
// write, as syncd needs it to be in the CRM account: what `syncd crm check`
// looks for and `syncd crm setup` creates.
type FieldSpec struct {
	Kind RecordKind // contact (person) or deal
	// Name is the property's internal name (HubSpot) or the field's key or
	// the name a person sees (Pipedrive).
	Name string
	// Type is the declared CRM type (HubSpot: string, number, date,
	// datetime, enumeration, bool; Pipedrive: varchar, text, double,
	// monetary, date, enum, set, ...); "" when the mappings declare none.
	Type    string
	Label   string   // label for a created property; "" derives one from Name
	Unique  bool     // must have unique values (the lead id)
	Options []string // options of a declared enumeration
	// Values are the constant values the mappings write into it (from
	// constants and the literal outcomes of expressions), to be checked
	// against an enumeration's options.
	Values []string
	// Dynamic says some mapping writes a value not known before run time.
	Dynamic bool
	Where   string // "file:line" where the first rule that writes it does (or where it is declared)
	// Places are every "file:line" where the mappings name it, declaration
	// and rules, Where first: what must change together when the field is
	// renamed in the CRM.
	Places []string
	// ValueWhere is where each of Values is first written ("file:line" of
	// the property's mapping), for a finding about that value.
	ValueWhere map[string]string
	// ValuePlaces are every "file:line" that writes each of Values, its
	// ValueWhere first: what must change together when a stage or pipeline
	// it names is renamed in the CRM.
	ValuePlaces map[string][]string
	// WrittenWhere is where the first rule that writes it does ("file:line");
	// "" when no rule does (declared alone).
	WrittenWhere string
	// DynamicWhere is where the first rule that writes it a value not known
	// before run time (from the payload) does; "" when none does.
	DynamicWhere string
	// Writes are the rules' mappings of it, one a rule that writes it, in
	// the order of the rules: they pair the values one rule writes into two
	// fields, a deal stage with the pipeline written beside it.
	Writes []Write
}

// Write is one rule's mapping of a field.
type Write struct {
	Rule    string   // "file:line" where the rule begins
	At      string   // "file:line" of the mapping
	Values  []string // the constant values it can write
	Dynamic bool     // it can write a value known only at run time
}

// WhereWritten is where the first rule that writes it does (WrittenWhere),
// else Where: the line to change for a finding about what is written
// rather than how it is declared.
func (s FieldSpec) WhereWritten() string {
	if s.WrittenWhere != "" {
		return s.WrittenWhere
	}
	return s.Where
}

// Lines is every line of the mappings that names it, its declaration in
// fields: and the rules that write it (Places, "m.yaml:4, m.yaml:21"),
// else Where: what must change together to rename, move or drop it.
func (s FieldSpec) Lines() string {
	if len(s.Places) == 0 {
		return s.Where
	}
	return strings.Join(s.Places, ", ")
}

// WhereDynamic is where the first rule that writes it a value from the
// payload does (DynamicWhere), else WhereWritten.
func (s FieldSpec) WhereDynamic() string {
	if s.DynamicWhere != "" {
		return s.DynamicWhere
	}
	return s.WhereWritten()
}

// PlacesOf is every place the value v is written (ValuePlaces), else
// WhereOf(v) alone.
func (s FieldSpec) PlacesOf(v string) []string {
	if ps := s.ValuePlaces[v]; len(ps) > 0 {
		return ps
	}
	return []string{s.WhereOf(v)}
}

// PlacesOfValues is every place that writes one of the field's constant
// values, each once, in the values' order: where to look when the CRM
// holds none of them.
func (s FieldSpec) PlacesOfValues() []string {
	var places []string
	for _, v := range s.Values {
		for _, p := range s.PlacesOf(v) {
			if !slices.Contains(places, p) {
				places = append(places, p)
			}
		}
	}
	return places
}

// WhereOf is where the value v is first written, else Where.
func (s FieldSpec) WhereOf(v string) string {
	if w := s.ValueWhere[v]; w != "" {
		return w
	}
	return s.Where
}

// Severity grades a Finding of a CRM account check.
type Severity string

// Severities of findings. Only SevError makes a check fail.
const (
	SevError Severity = "error"
	SevWarn  Severity = "warning"
)

// Finding is one thing a CRM account check found wrong or doubtful, with
// the way to fix it.
type Finding struct {
	Severity Severity
	Object   string // "token", "contacts", "deals", "persons", "pipelines", ...
	Name     string // the property, field, scope or value concerned
	Problem  string
	Fix      string
	// Property is set when the finding is about one property or field, so
	// a pause can name it.
	Property string
	// Unread says the check could not read this part of the account (no
	// answer, a 5xx, a rate or daily limit): a read to try again once the
	// CRM answers, which says nothing of how the account is set up.
	Unread bool
}

// ReadFailed reports whether an error finding is a read that failed
// (Finding.Unread) rather than something wrong with the account.
func ReadFailed(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SevError && f.Unread {
			return true
		}
	}
	return false
}

// Unread reports whether err, a read's failure, is one to try again (no
// answer, a 5xx, a rate or daily limit), not the account's answer about
// itself (the token refused, a scope missing, a thing not found).
func Unread(err error) bool {
	var ce *CRMError
	if !errors.As(err, &ce) {
		return true
	}
	return ce.Class == ErrRetry || ce.Class == ErrDailyLimit
}

// Failed reports whether any finding is an error.
func Failed(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SevError {
			return true
		}
	}
	return false
}

// Action is one thing `syncd crm setup` did or, with -dry-run, would do.
type Action struct {
	Object string // contacts, deals, persons, ...
	Name   string
	What   string // "created", "exists", "would create", "cannot create"
	Detail string
}

// Checker checks a CRM account against what the mappings need: the token,
// its scopes, properties and fields, unique values and enumerated values.
// It only reads.
type Checker interface {
	Check(ctx context.Context, specs []FieldSpec) ([]Finding, error)
}

// ObjectsReader reads one record of the CRM's objects API, the one the
// syncer writes through, only to learn whether that API answers now: the
// account check reads other APIs (token, properties, pipelines), which may
// answer while the objects API is down. Nil when the CRM answered.
type ObjectsReader interface {
	ReadObjects(ctx context.Context) error
}

// Setupper creates in a CRM account what the mappings need and can be
// created; dry says only what it would do.
type Setupper interface {
	Setup(ctx context.Context, specs []FieldSpec, dry bool) ([]Action, error)
}

// Fields are field specs by record kind and name: what an adapter looks a
// property up in when the CRM refuses its value.
type Fields map[FieldRef]FieldSpec

// FieldRef names a property of contacts (persons) or deals.
type FieldRef struct {
	Kind RecordKind
	Name string
}

// IndexFields indexes fs by kind and name.
func IndexFields(fs []FieldSpec) Fields {
	m := make(Fields, len(fs))
	for _, f := range fs {
		m[FieldRef{f.Kind, f.Name}] = f
	}
	return m
}
