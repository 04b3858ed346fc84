package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// currency is one of the account's currencies as GET /v1/currencies lists
// it: "all supported currencies in given account which should be used when
// saving monetary values" [pd-currencies].
type currency struct {
	Code   string `json:"code"`
	Active *bool  `json:"active_flag"` // nil when the answer does not say
}

// writtenCurrency is a currency code the mappings write as a constant,
// and where.
type writtenCurrency struct {
	code  string
	where string
	spec  syncd.FieldSpec
}

// currenciesWritten are the currency codes the mappings write as
// constants: a deal's currency, and the currency of an amount written into
// a monetary field ("450000 DKK").
func currenciesWritten(sc *schema, specs []syncd.FieldSpec) []writtenCurrency {
	var out []writtenCurrency
	for _, s := range specs {
		for _, v := range s.Values {
			switch {
			case s.Kind == syncd.RecordDeal && s.Name == "currency":
				out = append(out, writtenCurrency{strings.TrimSpace(v), s.WhereOf(v), s})
			case !system(s.Kind, s.Name):
				f, err := sc.field(s.Kind, s.Name)
				if parts := strings.Fields(v); err == nil && f.Type == "monetary" && len(parts) == 2 {
					out = append(out, writtenCurrency{parts[1], s.WhereOf(v), s})
				}
			}
		}
	}
	return out
}

// checkCurrencies checks the currency codes the mappings write as
// constants against the account's currencies (API v1: v2 has no
// currencies endpoint): a code the account lacks ("DKR" for "DKK", "dkk"),
// or a custom currency an admin turned off, marks every lead's deal with a
// currency the account does not use, which the check called ready. A
// failed read is a warning: the codes are not checked.
func (a *Adapter) checkCurrencies(ctx context.Context, sc *schema, specs []syncd.FieldSpec) []syncd.Finding {
	written := currenciesWritten(sc, specs)
	if len(written) == 0 {
		return nil
	}
	var out struct {
		Data []currency `json:"data"`
	}
	v1 := strings.TrimSuffix(a.opts.BaseURL, "/v2") + "/v1/currencies"
	if _, err := a.do(ctx, crm.Call{Op: "currencies_list", Method: http.MethodGet, URL: v1}, &out); err != nil {
		return []syncd.Finding{{Severity: syncd.SevWarn, Object: "api", Name: "currencies",
			Problem: fmt.Sprintf("the account's currencies cannot be read (%s): the currency %s writes is not checked", plainCause(err), written[0].where),
			Fix:     "run the check again"}}
	}
	codes := make([]string, 0, len(out.Data))
	for _, c := range out.Data {
		codes = append(codes, c.Code)
	}
	var fs []syncd.Finding
	for _, w := range written {
		i := slices.IndexFunc(out.Data, func(c currency) bool { return c.Code == w.code })
		switch {
		case i >= 0 && out.Data[i].Active != nil && !*out.Data[i].Active:
			fs = append(fs, finding(w.spec, "turn it on again in Pipedrive's company settings (Currencies), or write another in "+w.where,
				"currency %s is turned off in Pipedrive", w.code))
		case i >= 0:
		default:
			example := "EUR"
			if len(codes) > 0 && !slices.Contains(codes, example) {
				example = codes[0]
			}
			fix := fmt.Sprintf("write the code of one of the account's currencies (its three letters, ISO 4217 for all but custom ones, as %s) in %s",
				example, w.where)
			if near := nearCode(w.code, codes); near != "" {
				fix = fmt.Sprintf("did you mean %s? write it so in %s", near, w.where)
			}
			fs = append(fs, finding(w.spec, fix, "no currency with code %q in Pipedrive", w.code))
		}
	}
	return fs
}

// nearCode is the one of codes that code differs from only in case or in
// one letter ("dkk", "DKR" for "DKK"), or "": any code is within two
// letters of many.
func nearCode(code string, codes []string) string {
	for _, c := range codes {
		if strings.EqualFold(c, code) {
			return c
		}
	}
	var near []string
	for _, c := range codes {
		if len(c) != len(code) {
			continue
		}
		diff := 0
		for i := range len(c) {
			if !strings.EqualFold(c[i:i+1], code[i:i+1]) {
				diff++
			}
		}
		if diff == 1 {
			near = append(near, c)
		}
	}
	if len(near) == 1 {
		return near[0]
	}
	return ""
}
