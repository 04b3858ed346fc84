package crmfake

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// rec is one stored contact/person or deal.
type rec struct {
	id        int64
	props     map[string]string
	email     string // contacts: lower-cased primary email
	phone     string
	leadID    string      // deals: the lead id (unique property or custom field)
	contactID int64       // deals: associated contact/person; 0 none
	emails    []pdContact // Pipedrive persons: every email, primary first
	phones    []pdContact // and every phone
	created   time.Time
}

// store holds the records. Indexes map to lists because Pipedrive has no
// uniqueness: duplicates must be representable so tests can see them.
type store struct {
	next     int64
	contacts map[int64]*rec
	deals    map[int64]*rec
	byEmail  map[string][]int64
	byPhone  map[string][]int64
	byKey    map[string][]int64 // HubSpot contact key property
	byLead   map[string][]int64
	assoc    map[[2]int64]bool // HubSpot deal -> contact associations
	merged   map[int64]int64   // HubSpot: id of a merged contact -> the id that absorbed it
	trash    map[int64]*rec    // Pipedrive: persons deleted with Options.SoftDeletePersons
	// unsearched are HubSpot contacts deleted, by when: search, which lags
	// behind writes, still finds each for Options.SearchLag after.
	unsearched map[int64]deletedRec
}

// deletedRec is a record deleted at a time.
type deletedRec struct {
	rec *rec
	at  time.Time
}

func newStore() *store {
	return &store{
		next: 1000, contacts: map[int64]*rec{}, deals: map[int64]*rec{},
		byEmail: map[string][]int64{}, byPhone: map[string][]int64{}, byKey: map[string][]int64{},
		byLead: map[string][]int64{}, assoc: map[[2]int64]bool{}, trash: map[int64]*rec{},
		unsearched: map[int64]deletedRec{},
	}
}

func (st *store) newID() int64 {
	st.next++
	return st.next
}

func removeID(ids []int64, id int64) []int64 {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// Record is a stored contact (person) or deal as State shows it.
type Record struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	Email      string            `json:"email,omitempty"`
	Phone      string            `json:"phone,omitempty"`
	Emails     []string          `json:"emails,omitempty"` // Pipedrive persons: the whole lists
	Phones     []string          `json:"phones,omitempty"`
	LeadID     string            `json:"lead_id,omitempty"`
	ContactIDs []string          `json:"contact_ids,omitempty"` // deals: associated contacts/persons
	CreatedAt  time.Time         `json:"created_at"`
}

// State is a snapshot of the fake's records, with the indexes tests use to
// check that no lead was delivered twice.
type State struct {
	Contacts        []Record            `json:"contacts"`
	Deals           []Record            `json:"deals"`
	ContactsByEmail map[string][]Record `json:"contacts_by_email"`
	ContactsByPhone map[string][]Record `json:"contacts_by_phone"` // contacts without an email
	DealsByLead     map[string][]Record `json:"deals_by_lead"`
}

// Duplicates lists every email, phone and lead id held by more than one
// record; empty when the state is duplicate-free.
func (s State) Duplicates() []string {
	var out []string
	for _, m := range []struct {
		what string
		idx  map[string][]Record
	}{{"email", s.ContactsByEmail}, {"phone", s.ContactsByPhone}, {"lead", s.DealsByLead}} {
		for k, rs := range m.idx {
			if len(rs) > 1 {
				out = append(out, m.what+" "+k+": "+strconv.Itoa(len(rs))+" records")
			}
		}
	}
	sort.Strings(out)
	return out
}

// Count returns how many contacts and deals the fake holds, cheaply enough
// to poll while a load runs (State copies every record).
func (s *Server) Count() (contacts, deals int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.contacts), len(s.st.deals)
}

// State returns a snapshot of the records.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	out := State{ContactsByEmail: map[string][]Record{}, ContactsByPhone: map[string][]Record{}, DealsByLead: map[string][]Record{}}
	for _, id := range sortedIDs(st.contacts) {
		r := st.contacts[id]
		rc := Record{ID: idStr(id), Properties: maps.Clone(r.props), Email: r.email, Phone: r.phone, CreatedAt: r.created}
		if s.opts.Kind == KindPipedrive {
			rc.Emails = values(pdListOf(r.emails, r.props["email"], ""))
			rc.Phones = values(pdListOf(r.phones, r.phone, ""))
		}
		out.Contacts = append(out.Contacts, rc)
		switch {
		case r.email != "":
			out.ContactsByEmail[r.email] = append(out.ContactsByEmail[r.email], rc)
		case r.phone != "":
			out.ContactsByPhone[r.phone] = append(out.ContactsByPhone[r.phone], rc)
		}
	}
	for _, id := range sortedIDs(st.deals) {
		r := st.deals[id]
		rd := Record{ID: idStr(id), Properties: maps.Clone(r.props), LeadID: r.leadID, CreatedAt: r.created}
		if r.contactID != 0 {
			rd.ContactIDs = append(rd.ContactIDs, idStr(r.contactID))
		}
		for k := range st.assoc {
			if k[0] == id && k[1] != r.contactID {
				rd.ContactIDs = append(rd.ContactIDs, idStr(k[1]))
			}
		}
		sort.Strings(rd.ContactIDs)
		out.Deals = append(out.Deals, rd)
		if r.leadID != "" {
			out.DealsByLead[r.leadID] = append(out.DealsByLead[r.leadID], rd)
		}
	}
	return out
}

func sortedIDs(m map[int64]*rec) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// AddContact seeds a contact (person) and returns its id. Email is taken
// from Properties["email"] (HubSpot) or Email.
func (s *Server) AddContact(r Record) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &rec{props: maps.Clone(r.Properties), email: strings.ToLower(r.Email), phone: r.Phone, created: s.opts.Now().Add(-s.seedAge())}
	if c.props == nil {
		c.props = map[string]string{}
	}
	if c.email == "" {
		c.email = strings.ToLower(c.props["email"])
	}
	if c.phone == "" {
		c.phone = c.props["phone"]
	}
	return idStr(s.st.putContact(c, s.opts.ContactKeyProperty))
}

// AddDeal seeds a deal and returns its id.
func (s *Server) AddDeal(r Record) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &rec{props: maps.Clone(r.Properties), leadID: r.LeadID, created: s.opts.Now().Add(-s.seedAge())}
	if d.props == nil {
		d.props = map[string]string{}
	}
	if len(r.ContactIDs) > 0 {
		d.contactID, _ = strconv.ParseInt(r.ContactIDs[0], 10, 64)
	}
	if d.leadID != "" && s.opts.Kind == KindPipedrive {
		d.props[cfPrefix+s.opts.LeadField] = d.leadID
	} else if d.leadID != "" {
		d.props[s.opts.DealKeyProperty] = d.leadID
	}
	id := s.st.putDeal(d)
	if d.contactID != 0 && s.opts.Kind == KindHubSpot {
		s.st.assoc[[2]int64{id, d.contactID}] = true
	}
	return idStr(id)
}

// putContact stores a new contact and indexes it.
func (st *store) putContact(c *rec, keyProp string) int64 {
	c.id = st.newID()
	st.contacts[c.id] = c
	st.index(c, keyProp)
	return c.id
}

// index makes c found by its email, its secondary emails (HubSpot's
// hs_additional_emails, which "look records up like the primary email":
// docs/crm-contracts.md), its phone and its key property.
func (st *store) index(c *rec, keyProp string) {
	for _, e := range c.emailsHeld() {
		st.byEmail[e] = append(st.byEmail[e], c.id)
	}
	if c.phone != "" {
		st.byPhone[c.phone] = append(st.byPhone[c.phone], c.id)
	}
	if k := c.props[keyProp]; k != "" {
		st.byKey[k] = append(st.byKey[k], c.id)
	}
}

func (st *store) unindex(c *rec, keyProp string) {
	for _, e := range c.emailsHeld() {
		st.byEmail[e] = removeID(st.byEmail[e], c.id)
	}
	st.byPhone[c.phone] = removeID(st.byPhone[c.phone], c.id)
	if k := c.props[keyProp]; k != "" {
		st.byKey[k] = removeID(st.byKey[k], c.id)
	}
}

// putDeal stores a new deal and indexes it.
func (st *store) putDeal(d *rec) int64 {
	d.id = st.newID()
	st.deals[d.id] = d
	if d.leadID != "" {
		st.byLead[d.leadID] = append(st.byLead[d.leadID], d.id)
	}
	return d.id
}

// byProperty is the first record (by id) whose property prop holds v; a
// merged contact's old record is not one.
func (st *store) byProperty(deal bool, prop, v string) *rec {
	recs := st.contacts
	if deal {
		recs = st.deals
	}
	for _, id := range sortedIDs(recs) {
		if recs[id].props[prop] == v && (deal || st.resolve(id) == id) {
			return recs[id]
		}
	}
	return nil
}

// emailsHeld are the emails that find c: its own and, on HubSpot, those of
// hs_additional_emails (";"-separated), each lower-cased and once.
func (c *rec) emailsHeld() []string {
	var out []string
	for _, e := range append([]string{c.email}, strings.Split(c.props["hs_additional_emails"], ";")...) {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}
