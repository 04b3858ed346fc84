package hubspot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// accountProps are the account's contact and deal properties by object and
// name, as the last account check read them.
type accountProps map[string]map[string]property

// readProps reads the account's contact and deal properties; on an
// error, object names the one whose read failed.
func (a *Adapter) readProps(ctx context.Context) (props accountProps, object string, err error) {
	props = accountProps{}
	for _, obj := range []string{"contacts", "deals"} {
		ps, err := a.properties(ctx, obj)
		if err != nil {
			return nil, obj, err
		}
		props[obj] = ps
	}
	return props, "", nil
}

// ReadPropertiesBeforeWrites makes each write read the account's
// properties first when no account check read them: syncd sync run with no
// daemon runs no check. The daemon does not: its check reads them, and its
// writes do not wait for reads that may hang while the check's do.
func (a *Adapter) ReadPropertiesBeforeWrites() { a.propsFirst.Store(true) }

// loadProps reads the account's properties before a write, when asked to
// (ReadPropertiesBeforeWrites) and no account check read them, so that the
// write converts its values as the daemon's would (asTaken). Before,
// syncd sync sent option labels and checkboxes lists as mapped, which
// HubSpot refused or appended. A read that got no answer is the write's
// error: it would not have converted what HubSpot takes otherwise. One
// refused for a scope the token lacks (crm.schemas.*.read, which crm check
// asks for) leaves the values as mapped, with a warning, and is tried
// again after an hour (or a new token): the leads go as they did.
func (a *Adapter) loadProps(ctx context.Context) error {
	if !a.propsFirst.Load() || a.props.Load() != nil {
		return nil
	}
	a.propsMu.Lock()
	defer a.propsMu.Unlock()
	now := a.opts.Now()
	if a.props.Load() != nil || (!a.propsRefused.IsZero() && now.Sub(a.propsRefused) < zoneRetry) {
		return nil // another write read them meanwhile, or HubSpot refused the read lately
	}
	props, object, err := a.readProps(ctx)
	var ce *syncd.CRMError
	if err != nil && errors.As(err, &ce) && ce.Status == http.StatusForbidden {
		a.propsRefused = now
		a.opts.Logger.Warn().Str("object", object).Str("code", ce.Code).Msg("hubspot: the token may not read the account's " + object +
			" properties, so option labels and checkbox lists go as mapped: give the private app the scopes syncd crm check lists")
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the account's %s properties: %w", object, err)
	}
	a.props.CompareAndSwap(nil, &props) // a check's newer read wins
	return nil
}

// takenSinceRead reads the account's properties again after HubSpot
// refused an option the inputs carry, and converts their values as the
// properties are now (asTaken): it reports whether that changed any, so
// that they are sent again. An admin who made a text property a dropdown,
// or added the option, after the last check: before, the label went as
// it was, and the lead was dead-lettered (again after syncd outbox retry)
// until the daemon's next check. A failed read changes nothing.
func (a *Adapter) takenSinceRead(ctx context.Context, object string, inputs []input) bool {
	props, _, err := a.readProps(ctx)
	if err != nil {
		return false
	}
	a.props.Store(&props)
	changed := false
	for _, in := range inputs {
		before := maps.Clone(in.Properties)
		a.asTaken(object, in.Properties)
		changed = changed || !maps.Equal(before, in.Properties)
	}
	return changed
}

// asTaken rewrites, in place, the values of p (properties of object) that
// HubSpot would read otherwise than the sender meant, by the property's
// type as the last account check read it (none read: p is left as it is):
// an enumeration's option given by its label is its internal value, which
// is what HubSpot takes; a multiple checkboxes value loses its empty
// elements, as a leading ";" makes HubSpot add the options to those the
// record holds rather than replace them.
func (a *Adapter) asTaken(object string, p map[string]string) {
	known := a.props.Load()
	if known == nil {
		return
	}
	props := (*known)[object]
	for k, v := range p {
		if prop, ok := props[k]; ok && prop.Type == "enumeration" && !accountOptions(k) && v != "" {
			p[k] = optionValues(prop, v)
		}
	}
}

// optionValues is v, a value of the enumeration prop, with each option
// given by its label written as its value; a multiple checkboxes value is
// split at ";", its elements trimmed and the empty ones dropped: HubSpot
// refuses an element with white space around it ("office; warehouse", as
// people write lists) as LEADING_TRAILING_WHITESPACE (docs/crm-contracts.md).
func optionValues(prop property, v string) string {
	if prop.FieldType != "checkbox" {
		return optionValue(prop, v)
	}
	parts := strings.Split(v, ";")
	out := parts[:0]
	for _, part := range parts {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, optionValue(prop, part))
		}
	}
	return strings.Join(out, ";")
}

// optionValue is the internal value of the option of prop that v names
// (optionsNamed): v itself when it is an option's value, else the value of
// the one option whose label or value is v but for letter case; v when
// none is, or several are (HubSpot refuses it). HubSpot takes an option's
// value only as it is written (docs/crm-contracts.md), while syncd
// validate matches the options the mappings declare ignoring case: a
// portal's "Office" into an option whose value is "office" and whose label
// is not "Office" went as it came, and the lead was dead-lettered.
func optionValue(prop property, v string) string {
	if named := optionsNamed(prop, v); len(named) == 1 {
		return named[0].Value
	}
	return v
}

// optionsNamed are the options of prop that v names, as optionValue reads
// it, and crm check after it: the one whose value is v; else those whose
// label or value is v, trimmed, but for letter case, each value once (none,
// or several, which HubSpot takes none of by v).
func optionsNamed(prop property, v string) []option {
	if i := slices.IndexFunc(prop.Options, func(o option) bool { return o.Value == v }); i >= 0 {
		return prop.Options[i : i+1]
	}
	var named []option
	t := strings.TrimSpace(v)
	for _, o := range prop.Options {
		if (strings.EqualFold(o.Label, t) || strings.EqualFold(o.Value, t)) &&
			!slices.ContainsFunc(named, func(n option) bool { return n.Value == o.Value }) {
			named = append(named, o)
		}
	}
	return named
}
