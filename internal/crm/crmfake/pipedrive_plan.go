package crmfake

import (
	"net/http"
	"slices"
)

// PDCurrency is a currency of a Pipedrive account as GET /api/v1/currencies
// lists it (docs/crm-contracts.md, "Pipedrive: currencies and visibility").
type PDCurrency struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	DecimalPoints int    `json:"decimal_points"`
	Symbol        string `json:"symbol"`
	Active        bool   `json:"active_flag"`
	Custom        bool   `json:"is_custom_flag"`
}

// pdDefaultCurrencies are a fresh fake account's currencies: a few of the
// ISO 4217 ones Pipedrive lists, all active.
func pdDefaultCurrencies() []PDCurrency {
	var out []PDCurrency
	for i, c := range [][2]string{{"DKK", "Danish Krone"}, {"EUR", "Euro"}, {"GBP", "British Pound"}, {"NOK", "Norwegian Krone"},
		{"SEK", "Swedish Krona"}, {"USD", "US Dollar"}} {
		out = append(out, PDCurrency{ID: int64(i + 1), Code: c[0], Name: c[1], DecimalPoints: 2, Symbol: c[0], Active: true})
	}
	return out
}

// SetPDCurrencies replaces the Pipedrive account's currencies, as an admin
// adds a custom currency or turns one off.
func (s *Server) SetPDCurrencies(cs []PDCurrency) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pd.currencies = slices.Clone(cs)
}

// SetPDVisibilityGroups says whether the Pipedrive account's plan has
// visibility groups (a fresh fake's has): without them a record's
// visible_to may be only 1 or 3, with them also 5 and 7 [pd-vis-values].
func (s *Server) SetPDVisibilityGroups(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pd.noGroups = !on
}

// pdCurrencies follows GET /api/v1/currencies: every currency of the
// account, active or not [pd-currencies].
func (s *Server) pdCurrencies(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cs := s.pd.currencies
	if cs == nil {
		cs = pdDefaultCurrencies()
	}
	out := slices.Clone(cs)
	s.mu.Unlock()
	pdOK(w, out)
}

// pdVisibilityRefused reports whether Pipedrive refuses a record's
// visible_to: one of 1, 3, 5 and 7, and 5 and 7 only on a plan with
// visibility groups [pd-vis-values]; a wrong one is answered 403
// [pd-vis-403]. s.mu held.
func (s *Server) pdVisibilityRefused(v *int64) bool {
	if v == nil {
		return false
	}
	allowed := []int64{1, 3, 5, 7}
	if s.pd.noGroups {
		allowed = []int64{1, 3}
	}
	return !slices.Contains(allowed, *v)
}

// pdFailVisibility answers a refused visible_to, in the fake's own words
// (Pipedrive documents only the status).
func pdFailVisibility(w http.ResponseWriter) {
	pdFail(w, http.StatusForbidden, "You are not allowed to set this visibility.")
}
