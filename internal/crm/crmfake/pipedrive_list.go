package crmfake

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Pipedrive's lists (GET /persons, GET /deals) read an index of their own
// that may lag behind writes like search does, but separately
// (Options.ListLag): a record younger than ListLag is missing from them.
// They take limit (default 100, at most 500), cursor, sort_by (id or
// add_time) and sort_direction (asc or desc), and GET /deals takes person_id.

// pdListPersons answers GET /api/v2/persons.
func (s *Server) pdListPersons(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.listed(s.st.contacts, r, func(*rec) bool { return true })
	s.pdPage(w, r, recs, pdPerson)
}

// pdListDeals answers GET /api/v2/deals.
func (s *Server) pdListDeals(w http.ResponseWriter, r *http.Request) {
	person, _ := strconv.ParseInt(r.URL.Query().Get("person_id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.listed(s.st.deals, r, func(d *rec) bool {
		return (person == 0 || d.contactID == person) && !pdDeleted(d) && !s.pdHiddenDeal(d)
	})
	s.pdPage(w, r, recs, pdDeal)
}

// listed returns the records the list index shows, in the order asked
// for; s.mu is held.
func (s *Server) listed(m map[int64]*rec, r *http.Request, keep func(*rec) bool) []*rec {
	now := s.opts.Now()
	var out []*rec
	for _, id := range sortedIDs(m) {
		if x := m[id]; keep(x) && now.Sub(x.created) >= s.opts.ListLag {
			out = append(out, x)
		}
	}
	q := r.URL.Query()
	if q.Get("sort_by") == "add_time" {
		slices.SortStableFunc(out, func(a, b *rec) int { return a.created.Compare(b.created) })
	}
	if q.Get("sort_direction") == "desc" {
		slices.Reverse(out)
	}
	return out
}

// pdPage writes one page of recs with the v2 cursor (an offset here).
func (s *Server) pdPage(w http.ResponseWriter, r *http.Request, recs []*rec, view func(*rec) map[string]any) {
	from, to, next, ok := pdCursor(w, r, len(recs))
	if !ok {
		return
	}
	data := make([]map[string]any, 0, to-from)
	for _, x := range recs[from:to] {
		data = append(data, view(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": data, "additional_data": map[string]any{"next_cursor": next}})
}

// pdCursor reads the page r asks for of n items as Pipedrive's v2 pages
// them: limit (default 100, at most 500) and a cursor (an offset here).
// It returns the page's bounds and next_cursor (nil on the last page);
// ok is false when it answered a limit out of range itself.
func pdCursor(w http.ResponseWriter, r *http.Request, n int) (from, to int, next any, ok bool) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 100
	}
	if limit > 500 {
		pdFail(w, http.StatusBadRequest, "limit must be at most 500")
		return 0, 0, nil, false
	}
	from, _ = strconv.Atoi(q.Get("cursor"))
	from = min(max(from, 0), n)
	to = min(from+limit, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next, true
}

// seedAge is how old a seeded record is made: old enough for every index.
func (s *Server) seedAge() time.Duration { return max(s.opts.SearchLag, s.opts.ListLag) }
