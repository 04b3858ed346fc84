package crmfake

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Property is a HubSpot property definition as the properties API shows it
// (docs/crm-contracts.md, "HubSpot: properties and property groups").
type Property struct {
	Name           string   `json:"name"`
	Label          string   `json:"label"`
	Type           string   `json:"type"`
	FieldType      string   `json:"fieldType"`
	GroupName      string   `json:"groupName"`
	Description    string   `json:"description"`
	Options        []Option `json:"options"`
	HasUniqueValue bool     `json:"hasUniqueValue"`
	Hidden         bool     `json:"hidden"`
	Calculated     bool     `json:"calculated"`
	HubSpotDefined bool     `json:"hubspotDefined"`
	Archived       bool     `json:"archived"`
	ReadOnlyValue  bool     `json:"-"` // shown in modificationMetadata
}

// Option is one option of an enumeration property or field.
type Option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// Pipeline is a HubSpot deal pipeline with its stages.
type Pipeline struct {
	ID     string  `json:"id"`
	Label  string  `json:"label"`
	Stages []Stage `json:"stages"`
}

// Stage is a HubSpot deal stage.
type Stage struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Archived bool   `json:"archived"`
}

// hsSchema is the account's setup: properties, groups, pipelines, owners
// and the token's scopes.
type hsSchema struct {
	props     map[string]map[string]*Property // object -> name -> property
	groups    map[string][]string             // object -> group names
	pipelines []Pipeline
	owners    []string                               // owner ids
	archived  []string                               // owner ids of deactivated users (DeactivateOwner)
	rules     map[string]map[string][]ValidationRule // object -> property -> its validation rules
}

// defaultScopes are the scopes a fresh private app gets in the fake: all
// that syncd needs.
var defaultScopes = []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
	"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.contacts.write", "crm.schemas.deals.read",
	"crm.schemas.deals.write", "crm.objects.owners.read"}

func text(name string, unique bool) *Property {
	return &Property{Name: name, Label: name, Type: "string", FieldType: "text", HasUniqueValue: unique, Options: []Option{}}
}

func enum(name string, values ...string) *Property {
	p := &Property{Name: name, Label: name, Type: "enumeration", FieldType: "select", HubSpotDefined: true}
	for i, v := range values {
		p.Options = append(p.Options, Option{Label: v, Value: v, DisplayOrder: i})
	}
	return p
}

// newHSSchema is a fresh account's schema, plus the unique key properties
// the fake's Options name (so that upserts by them work out of the box).
func newHSSchema(o Options) *hsSchema {
	sc := &hsSchema{props: map[string]map[string]*Property{"contacts": {}, "deals": {}},
		groups: map[string][]string{"contacts": {"contactinformation"}, "deals": {"dealinformation"}}, owners: []string{"101", "102"}}
	for _, n := range []string{"email", "firstname", "lastname", "phone", "mobilephone", "company", "website", "message", "city"} {
		sc.props["contacts"][n] = text(n, n == "email")
	}
	sc.props["contacts"]["lifecyclestage"] = enum("lifecyclestage", "subscriber", "lead", "marketingqualifiedlead",
		"salesqualifiedlead", "opportunity", "customer", "evangelist", "other")
	for _, n := range []string{"dealname", "description", "dealtype"} {
		sc.props["deals"][n] = text(n, false)
	}
	sc.props["deals"]["amount"] = &Property{Name: "amount", Label: "Amount", Type: "number", FieldType: "number", HubSpotDefined: true}
	sc.props["deals"]["closedate"] = &Property{Name: "closedate", Label: "Close date", Type: "datetime", FieldType: "date", HubSpotDefined: true}
	sc.props["deals"]["pipeline"] = enum("pipeline", "default")
	sc.props["deals"]["dealstage"] = enum("dealstage")
	sc.props["deals"]["deal_currency_code"] = enum("deal_currency_code", "DKK") // the account's currencies: its company currency
	sc.props["deals"]["hubspot_owner_id"] = enum("hubspot_owner_id", "101", "102")
	sc.props["contacts"]["hubspot_owner_id"] = enum("hubspot_owner_id", "101", "102")
	for _, p := range sc.props["contacts"] {
		p.HubSpotDefined, p.GroupName = true, "contactinformation"
	}
	for _, p := range sc.props["deals"] {
		p.HubSpotDefined, p.GroupName = true, "dealinformation"
	}
	for _, obj := range []string{"contacts", "deals"} {
		// HubSpot's record id, shown as a property: read-only.
		sc.props[obj]["hs_object_id"] = &Property{Name: "hs_object_id", Label: "Record ID", Type: "number", FieldType: "number",
			HubSpotDefined: true, ReadOnlyValue: true, GroupName: pick(obj == "deals", "dealinformation", "contactinformation"), Options: []Option{}}
	}
	sc.props["contacts"][o.ContactKeyProperty] = text(o.ContactKeyProperty, true)
	sc.props["deals"][o.DealKeyProperty] = text(o.DealKeyProperty, true)
	stages := []Stage{}
	for _, id := range []string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"} {
		stages = append(stages, Stage{ID: id, Label: id})
	}
	sc.pipelines = []Pipeline{{ID: "default", Label: "Sales Pipeline", Stages: stages}}
	return sc
}

// SetProperty adds or replaces a HubSpot property of object ("contacts" or
// "deals"), e.g. to make the lead-id property exist without unique values.
func (s *Server) SetProperty(object string, p Property) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Options == nil {
		p.Options = []Option{}
	}
	s.hsAcct.props[object][p.Name] = &p
}

// DeleteProperty removes a HubSpot property of object.
func (s *Server) DeleteProperty(object, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.hsAcct.props[object], name)
}

// Properties returns a copy of object's HubSpot properties by name.
func (s *Server) Properties(object string) map[string]Property {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Property{}
	for n, p := range s.hsAcct.props[object] {
		out[n] = *p
	}
	return out
}

// SetPipelines replaces the HubSpot deal pipelines.
func (s *Server) SetPipelines(ps []Pipeline) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hsAcct.pipelines = ps
}

// SetOwners replaces the HubSpot account's owners (their ids), and the
// options of hubspot_owner_id with them, as HubSpot's are its owners.
func (s *Server) SetOwners(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hsAcct.owners = append([]string(nil), ids...)
	s.hsAcct.archived = slices.DeleteFunc(s.hsAcct.archived, func(id string) bool { return slices.Contains(ids, id) })
	s.ownerOptions()
}

// Owners are the ids of the HubSpot account's active owners.
func (s *Server) Owners() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hsAcct.owners)
}

// DeactivateOwner plays an admin deactivating the user of owner id (Settings
// > Users & Teams): HubSpot keeps its owner archived, left out of GET
// /crm/v3/owners and listed by GET /crm/v3/owners?archived=true alone, with
// "archived": true and userId null (the owners guide). What a write of its
// id answers is unconfirmed: the fake takes it out of hubspot_owner_id's
// options, so that a write of it is refused as one of an unknown id
// (INVALID_OPTION). It reports whether id was an active owner.
func (s *Server) DeactivateOwner(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.hsAcct.owners, id)
	if i < 0 {
		return false
	}
	s.hsAcct.owners = slices.Delete(slices.Clone(s.hsAcct.owners), i, i+1)
	s.hsAcct.archived = append(s.hsAcct.archived, id)
	s.ownerOptions()
	return true
}

// ownerOptions makes the options of hubspot_owner_id the active owners,
// as HubSpot's are its owners. The caller holds s.mu.
func (s *Server) ownerOptions() {
	for _, obj := range []string{"contacts", "deals"} {
		if p := s.hsAcct.props[obj]["hubspot_owner_id"]; p != nil {
			g := p.GroupName
			*p = *enum("hubspot_owner_id", s.hsAcct.owners...)
			p.GroupName = g
		}
	}
}

func (s *Server) routesHubSpotSchema(m *http.ServeMux) {
	m.HandleFunc("GET /crm/v3/properties/{object}", s.hsListProps)
	m.HandleFunc("GET /crm/v3/properties/{object}/{name}", s.hsGetProp)
	m.HandleFunc("POST /crm/v3/properties/{object}", s.hsCreateProp)
	m.HandleFunc("DELETE /crm/v3/properties/{object}/{name}", s.hsArchiveProp)
	m.HandleFunc("GET /crm/v3/properties/{object}/groups", s.hsListGroups)
	m.HandleFunc("POST /crm/v3/properties/{object}/groups", s.hsCreateGroup)
	m.HandleFunc("GET /crm/v3/pipelines/deals", s.hsPipelines)
	m.HandleFunc("GET /crm/v3/owners", s.hsOwners)
	m.HandleFunc("GET /crm/v3/property-validations/{object}", s.hsValidationRules)
	m.HandleFunc("GET /crm/v3/owners/", s.hsOwners)
	m.HandleFunc("POST /oauth/v2/private-apps/get/access-token-info", s.hsTokenInfo)
	m.HandleFunc("GET /oauth/v1/access-tokens/{token}", s.hsTokenInfo)
}

// hsObjectName maps a properties path's object to "contacts" or "deals".
func hsObjectName(w http.ResponseWriter, r *http.Request) (string, bool) {
	switch r.PathValue("object") {
	case "contacts", "contact", "0-1":
		return "contacts", true
	case "deals", "deal", "0-3":
		return "deals", true
	}
	writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "Unable to infer object type from: "+r.PathValue("object")))
	return "", false
}

func propJSON(p *Property) map[string]any {
	ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	return map[string]any{"name": p.Name, "label": p.Label, "type": p.Type, "fieldType": p.FieldType,
		"groupName": p.GroupName, "description": p.Description, "options": p.Options, "displayOrder": -1,
		"hasUniqueValue": p.HasUniqueValue, "hidden": p.Hidden, "formField": false, "calculated": p.Calculated,
		"externalOptions": false, "hubspotDefined": p.HubSpotDefined, "archived": p.Archived,
		"modificationMetadata": map[string]bool{"archivable": !p.HubSpotDefined, "readOnlyDefinition": p.HubSpotDefined,
			"readOnlyValue": p.ReadOnlyValue || p.Calculated},
		"createdAt": ts, "updatedAt": ts}
}

func (s *Server) hsListProps(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	archived := r.URL.Query().Get("archived") == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.hsAcct.props[obj]))
	for n, p := range s.hsAcct.props[obj] {
		if p.Archived == archived {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, propJSON(s.hsAcct.props[obj][n]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func (s *Server) hsGetProp(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.hsAcct.props[obj][r.PathValue("name")]
	if p == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Unable to find property "+r.PathValue("name")))
		return
	}
	writeJSON(w, http.StatusOK, propJSON(p))
}

// hsArchiveProp follows DELETE /crm/v3/properties/{object}/{name}: an
// admin archiving a property in HubSpot's settings, 204; the property is
// gone from reads and writes (as DeleteProperty), 404 when there is none.
func (s *Server) hsArchiveProp(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hsAcct.props[obj][r.PathValue("name")] == nil {
		writeJSON(w, http.StatusNotFound, hubspotErr("OBJECT_NOT_FOUND", "Unable to find property "+r.PathValue("name")))
		return
	}
	delete(s.hsAcct.props[obj], r.PathValue("name"))
	w.WriteHeader(http.StatusNoContent)
}

// fieldTypes are the valid fieldType values per type [hs-props].
var fieldTypes = map[string][]string{
	"string":      {"text", "textarea", "html", "phonenumber", "file", "calculation_equation"},
	"number":      {"number", "calculation_equation"},
	"date":        {"date"},
	"datetime":    {"date"},
	"enumeration": {"select", "radio", "checkbox", "booleancheckbox", "calculation_equation"},
	"bool":        {"booleancheckbox", "calculation_equation"},
}

func (s *Server) hsCreateProp(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	var p Property
	if !decodeBody(w, r, &p) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.hsPropInvalid(obj, &p); msg != "" {
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", msg))
		return
	}
	if s.hsAcct.props[obj][p.Name] != nil {
		writeJSON(w, http.StatusConflict, hubspotErr("CONFLICT", fmt.Sprintf("A property named '%s' already exists.", p.Name)))
		return
	}
	if p.Options == nil {
		p.Options = []Option{}
	}
	s.hsAcct.props[obj][p.Name] = &p
	writeJSON(w, http.StatusCreated, propJSON(&p))
}

// hsPropInvalid validates a property to create; s.mu held.
func (s *Server) hsPropInvalid(obj string, p *Property) string {
	switch {
	case p.Name == "" || p.Label == "" || p.Type == "" || p.FieldType == "" || p.GroupName == "":
		return "name, label, type, fieldType and groupName are required"
	case !slices.Contains(fieldTypes[p.Type], p.FieldType):
		return fmt.Sprintf("Invalid type/fieldType combination: %s/%s", p.Type, p.FieldType)
	case p.Type == "enumeration" && len(p.Options) == 0:
		return "options are required for an enumeration"
	case !slices.Contains(s.hsAcct.groups[obj], p.GroupName):
		return fmt.Sprintf("Property group %s does not exist", p.GroupName)
	}
	if p.HasUniqueValue {
		n := 0
		for _, q := range s.hsAcct.props[obj] {
			if q.HasUniqueValue && !q.HubSpotDefined {
				n++
			}
		}
		if n >= 10 {
			return "You can have at most 10 unique value properties per object"
		}
	}
	return ""
}

func (s *Server) hsListGroups(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for i, g := range s.hsAcct.groups[obj] {
		out = append(out, map[string]any{"name": g, "label": g, "displayOrder": i, "archived": false})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func (s *Server) hsCreateGroup(w http.ResponseWriter, r *http.Request) {
	obj, ok := hsObjectName(w, r)
	if !ok {
		return
	}
	var g struct {
		Name  string `json:"name"`
		Label string `json:"label"`
	}
	if !decodeBody(w, r, &g) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case g.Name == "" || g.Label == "":
		writeJSON(w, http.StatusBadRequest, hubspotErr("VALIDATION_ERROR", "name and label are required"))
	case slices.Contains(s.hsAcct.groups[obj], g.Name):
		writeJSON(w, http.StatusConflict, hubspotErr("CONFLICT", fmt.Sprintf("A property group named '%s' already exists.", g.Name)))
	default:
		s.hsAcct.groups[obj] = append(s.hsAcct.groups[obj], g.Name)
		writeJSON(w, http.StatusCreated, map[string]any{"name": g.Name, "label": g.Label, "displayOrder": -1, "archived": false})
	}
}

func (s *Server) hsPipelines(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for i, p := range s.hsAcct.pipelines {
		stages := []map[string]any{}
		for j, st := range p.Stages {
			stages = append(stages, map[string]any{"id": st.ID, "label": st.Label, "displayOrder": j, "archived": st.Archived,
				"metadata": map[string]string{"isClosed": fmt.Sprint(strings.HasPrefix(st.ID, "closed")), "probability": "0.2"}})
		}
		out = append(out, map[string]any{"id": p.ID, "label": p.Label, "displayOrder": i, "archived": false, "stages": stages})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

// hsOwners follows GET /crm/v3/owners: a page of owners, limit (default
// 100; the fake gives at most 500, HubSpot's most is not documented) from
// the after cursor (an offset here), with paging.next.after while more are
// left, as HubSpot's forward paging. With archived=true it lists the
// archived owners alone ("Whether to return only results that have been
// archived", the SDK's OwnersApi.getPage), those of deactivated users.
func (s *Server) hsOwners(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 {
		limit = 100
	}
	limit = min(limit, 500)
	from, _ := strconv.Atoi(q.Get("after"))
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, archived := s.hsAcct.owners, q.Get("archived") == "true"
	if archived {
		ids = s.hsAcct.archived
	}
	from = min(max(from, 0), len(ids))
	to := min(from+limit, len(ids))
	out := []map[string]any{}
	for _, id := range ids[from:to] {
		user, _ := strconv.Atoi(id)
		o := map[string]any{"id": id, "email": "owner" + id + "@example.com", "firstName": "Owner", "lastName": id,
			"archived": archived, "userId": 9000 + user, "userIdIncludingInactive": 9000 + user}
		if archived {
			o["userId"] = nil // "For archived users, there is still an id value, but the userId value will be null"
		}
		out = append(out, o)
	}
	ans := map[string]any{"results": out}
	if to < len(ids) {
		after := strconv.Itoa(to)
		ans["paging"] = map[string]any{"next": map[string]any{"after": after, "link": "?after=" + after}}
	}
	writeJSON(w, http.StatusOK, ans)
}

// hsTokenInfo answers private-app token introspection (and the OAuth one):
// the token must be the configured one.
func (s *Server) hsTokenInfo(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	if tok == "" {
		var in struct {
			TokenKey string `json:"tokenKey"`
		}
		if !decodeBody(w, r, &in) {
			return
		}
		tok = in.TokenKey
	}
	if s.opts.Token != "" && tok != s.opts.Token {
		writeJSON(w, http.StatusUnauthorized, hubspotErr("INVALID_AUTHENTICATION", "The token is invalid or expired."))
		return
	}
	scopes := s.scopes()
	if r.PathValue("token") != "" {
		writeJSON(w, http.StatusOK, map[string]any{"token": tok, "hub_id": 123456, "app_id": 42, "scopes": scopes, "expires_in": 1800, "token_type": "access"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"userId": 7, "hubId": 123456, "appId": 42, "scopes": scopes})
}

// SetScopes replaces the scopes of the HubSpot token, as an admin edits
// the private app's scopes (the token stays the same); nil gives it every
// scope syncd needs again.
func (s *Server) SetScopes(scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Scopes = slices.Clone(scopes)
}

func (s *Server) scopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Scopes != nil {
		return s.opts.Scopes
	}
	return defaultScopes
}

// scopeOf is the scope a HubSpot request needs; "" for none.
func scopeOf(r *http.Request) string {
	p := r.URL.Path
	read := r.Method == http.MethodGet || strings.HasSuffix(p, "/search")
	rw := map[bool]string{true: "read", false: "write"}[read]
	switch {
	case strings.HasPrefix(p, "/crm/v3/objects/contacts"):
		return "crm.objects.contacts." + rw
	case strings.HasPrefix(p, "/crm/v3/objects/deals"), strings.HasPrefix(p, "/crm/v4/"):
		return "crm.objects.deals." + rw
	case strings.HasPrefix(p, "/crm/v3/properties/contacts"):
		return "crm.schemas.contacts." + rw
	case strings.HasPrefix(p, "/crm/v3/properties/deals"), strings.HasPrefix(p, "/crm/v3/pipelines/"):
		return "crm.schemas.deals." + rw
	case strings.HasPrefix(p, "/crm/v3/owners"):
		return "crm.objects.owners.read"
	}
	return ""
}

// scopeDenied answers 403 MISSING_SCOPES when Options.Scopes lacks the
// scope the request needs; it reports whether it answered.
func (s *Server) scopeDenied(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	scopes := s.opts.Scopes
	s.mu.Unlock()
	if s.opts.Kind != KindHubSpot || scopes == nil {
		return false
	}
	need := scopeOf(r)
	if need == "" || slices.Contains(scopes, need) {
		return false
	}
	writeJSON(w, http.StatusForbidden, map[string]any{"status": "error",
		"message":  "This app hasn't been granted all required scopes to make this call.",
		"category": "MISSING_SCOPES", "correlationId": correlationID(),
		"errors": []map[string]any{{"message": "One or more of the following scopes are required.",
			"context": map[string][]string{"requiredGranularScopes": {need}}}}})
	return true
}

// hsSchemaInvalid validates written properties against the schema when
// Options.StrictSchema is set: unknown properties, values of a property
// that is not text with white space around them (hsSpaced), and options not
// among an enumeration's are 400s, as HubSpot answers them; s.mu not held.
func (s *Server) hsSchemaInvalid(deal bool, props map[string]string) (int, map[string]any) {
	if !s.opts.StrictSchema {
		return 0, nil
	}
	obj := pick(deal, "deals", "contacts")
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := s.hsAcct.props[obj][k]
		if p == nil || p.Archived {
			return 400, propErr("PROPERTY_DOESNT_EXIST", k, fmt.Sprintf("Property \"%s\" does not exist", k))
		}
		if p.Calculated || p.ReadOnlyValue {
			return 400, hubspotErr("VALIDATION_ERROR", refusedList("READ_ONLY_VALUE", k, fmt.Sprintf("%q is a calculated property; its value cannot be set.", k)))
		}
		if msg := hsSpaced(p, props[k]); msg != "" {
			return 400, hubspotErr("VALIDATION_ERROR", msg)
		}
		if v := props[k]; v != "" && !s.hsOptionOK(p, v) {
			return 400, propErr("INVALID_OPTION", k, fmt.Sprintf("%s was not one of the allowed options", v))
		}
		if v := props[k]; v != "" && p.Type == "bool" && v != "true" && v != "false" {
			return 400, propErr("INVALID_BOOLEAN", k, fmt.Sprintf("%s was not a valid boolean.", v))
		}
		if v := props[k]; v != "" && p.Type == "number" && !hsNumber.MatchString(v) {
			return 400, propErr("INVALID_INTEGER", k, fmt.Sprintf("%s was not a valid number.", v))
		}
		if msg := hsDateInvalid(p.Type, props[k]); msg != "" {
			return 400, hubspotErr("VALIDATION_ERROR", refusedList("INVALID_DATE", k, msg))
		}
	}
	return 0, nil
}

// hsOptionOK reports whether v is a valid value of an enumeration; s.mu held.
func (s *Server) hsOptionOK(p *Property, v string) bool {
	// A deal's pipeline holds a pipeline's id, its dealstage a stage's
	// (docs/crm-contracts.md): a stage id is no pipeline, nor a pipeline
	// id ("default") a stage. Before, either took both.
	switch p.Name {
	case "pipeline":
		return slices.ContainsFunc(s.hsAcct.pipelines, func(pl Pipeline) bool { return pl.ID == v })
	case "dealstage":
		for _, pl := range s.hsAcct.pipelines {
			if slices.ContainsFunc(pl.Stages, func(st Stage) bool { return st.ID == v && !st.Archived }) {
				return true
			}
		}
		return false
	}
	if p.Type != "enumeration" {
		return true
	}
	for _, v := range strings.Split(strings.TrimPrefix(v, ";"), ";") {
		if !slices.ContainsFunc(p.Options, func(o Option) bool { return o.Value == v }) {
			return false
		}
	}
	return true
}

// hsNumber is a value a number property takes: digits, at most one
// decimal point, no exponent and no spaces (docs/crm-contracts.md).
var hsNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func propErr(code, name, msg string) map[string]any {
	return hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Property values were not valid: [{\"isValid\":false,\"message\":%q,\"error\":%q,\"name\":%q}]", msg, code, name),
		map[string]any{"message": msg, "code": code, "context": map[string]any{"propertyName": []string{name}}})
}

// hsIDPropertyInvalid is the answer to an upsert by idProperty when the
// schema has no such property or it has no unique values; s.mu not held.
func (s *Server) hsIDPropertyInvalid(deal bool, idProp string) (int, map[string]any) {
	if idProp == "email" {
		return 0, nil
	}
	obj, typeID := pick(deal, "deals", "contacts"), pick(deal, "0-3", "0-1")
	s.mu.Lock()
	p := s.hsAcct.props[obj][idProp]
	s.mu.Unlock()
	switch {
	case p == nil:
		return 400, propErr("PROPERTY_DOESNT_EXIST", idProp, fmt.Sprintf("Property \"%s\" does not exist", idProp))
	case !p.HasUniqueValue:
		return 400, hubspotErr("VALIDATION_ERROR", fmt.Sprintf("Unable to perform update/upsert by non-unique %s property %s in portal ID 123456", typeID, idProp))
	}
	return 0, nil
}

// hsDateInvalid says why v is no value of a date or datetime property, ""
// when it is one (or the type is another): ISO 8601 or epoch milliseconds,
// and for a date at midnight UTC, in HubSpot's words
// (docs/crm-contracts.md).
func hsDateInvalid(typ, v string) string {
	if v == "" || (typ != "date" && typ != "datetime") {
		return ""
	}
	var t time.Time
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		t = time.UnixMilli(ms).UTC()
	} else if d, err := time.Parse(time.DateOnly, v); err == nil {
		t = d
	} else if ts, err := time.Parse(time.RFC3339Nano, v); err == nil {
		t = ts.UTC()
	} else {
		return fmt.Sprintf("%s is not a valid date", v)
	}
	if typ == "date" && !t.Equal(t.Truncate(24*time.Hour)) {
		return fmt.Sprintf("%s is at %s UTC, not midnight!", v, t.Format("15:04:05.000"))
	}
	return ""
}

// hsStageOutside answers, with Options.StrictSchema, HubSpot's 400
// INVALID_OPTION on dealstage when a deal's stage is not one of its
// pipeline's: the pipeline written, else the deal's own (old, an update;
// nil for a new deal), else the default pipeline (id "default"; on an
// account without one, its only pipeline, and none checked among several:
// which one HubSpot takes then is unknown). "Each object stage is a
// member of exactly one pipeline", and a stage outside the default
// pipeline needs "the pipeline property that lines up with that stage"
// (docs/crm-contracts.md); the refusal lists the pipeline's stages, as
// HubSpot's does; contacts (deal false) have no stage. A stage or pipeline of no pipeline at all is
// hsSchemaInvalid's. Before, a stage of any pipeline was taken with any
// pipeline, and the deal made where HubSpot makes none. s.mu held.
func (s *Server) hsStageOutside(deal bool, props, old map[string]string) (int, map[string]any) {
	stage := props["dealstage"]
	if !deal || !s.opts.StrictSchema || stage == "" {
		return 0, nil
	}
	pid := cmp.Or(props["pipeline"], old["pipeline"])
	i := slices.IndexFunc(s.hsAcct.pipelines, func(p Pipeline) bool { return p.ID == cmp.Or(pid, "default") })
	if i < 0 && pid == "" && len(s.hsAcct.pipelines) == 1 {
		i = 0 // an account whose one pipeline is not "default": that one
	}
	if i < 0 {
		return 0, nil
	}
	pl := s.hsAcct.pipelines[i]
	var ids []string
	for _, st := range pl.Stages {
		if st.ID == stage && !st.Archived {
			return 0, nil
		}
		if !st.Archived {
			ids = append(ids, st.ID)
		}
	}
	return 400, propErr("INVALID_OPTION", "dealstage", fmt.Sprintf("%s is not a valid pipeline stage ID. Valid options are: pipelineId=%s : [%s]", stage, pl.ID, strings.Join(ids, ", ")))
}

// AddPipeline adds a HubSpot deal pipeline labelled label beside those
// the account has, as an admin makes a second one (Lettings beside the
// default Sales Pipeline): numeric-string ids, as HubSpot gives a
// pipeline and stages made later (docs/crm-contracts.md), its stages
// labelled as the first pipeline's. It returns the pipeline.
func (s *Server) AddPipeline(label string) Pipeline {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := 1000 * (len(s.hsAcct.pipelines) + 1)
	p := Pipeline{ID: strconv.Itoa(next), Label: label, Stages: []Stage{}}
	if len(s.hsAcct.pipelines) > 0 {
		for i, st := range s.hsAcct.pipelines[0].Stages {
			p.Stages = append(p.Stages, Stage{ID: strconv.Itoa(next + i + 1), Label: st.Label})
		}
	}
	s.hsAcct.pipelines = append(slices.Clone(s.hsAcct.pipelines), p)
	return p
}
