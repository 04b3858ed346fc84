package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// field is a deal or person field as the Fields API v2 describes it.
type field struct {
	Code    string        `json:"field_code"`
	Name    string        `json:"field_name"`
	Type    string        `json:"field_type"`
	Custom  bool          `json:"is_custom_field"`
	Options []fieldOption `json:"options"`
}

// fieldOption is one option of an enum or set field.
type fieldOption struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

type pipeline struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Deleted bool   `json:"is_deleted"`
}

type stage struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	PipelineID int64  `json:"pipeline_id"`
	Deleted    bool   `json:"is_deleted"`
}

// schema is the account's fields, pipelines and stages: how names in the
// mapping files become keys and ids.
type schema struct {
	fields    map[syncd.RecordKind][]field
	pipelines []pipeline
	stages    []stage
	at        time.Time // when it was read
	zone      string    // a time field's zone when its value names none (Options.TimeZone)
	// present are the keys of fields a refusal named that a reading
	// after it still found (stale.go): not read again for them within
	// schemaReread.
	present map[string]bool
	// renamed are what the mappings write by a name renamed in Pipedrive
	// since a check found it (renamesIn): set in the schema deals are sent
	// by (Resolve, reread), not in a check's own.
	renamed *renames
}

// fieldsPath is the Fields API path of a record kind.
func fieldsPath(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "/dealFields"
	}
	return "/personFields"
}

// list reads every page of a v2 list endpoint into add.
func list[T any](ctx context.Context, a *Adapter, op, path string, q url.Values, add func([]T)) error {
	if q == nil {
		q = url.Values{}
	}
	q.Set("limit", "500")
	for page := 0; page < 100; page++ {
		var out struct {
			Data           []T `json:"data"`
			AdditionalData struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"additional_data"`
		}
		if _, err := a.do(ctx, crm.Call{Op: op, Method: http.MethodGet, URL: a.url(path, q)}, &out); err != nil {
			return err
		}
		add(out.Data)
		if out.AdditionalData.NextCursor == nil || *out.AdditionalData.NextCursor == "" {
			return nil
		}
		q.Set("cursor", *out.AdditionalData.NextCursor)
	}
	return nil
}

// loadSchema reads the fields, pipelines and stages.
func (a *Adapter) loadSchema(ctx context.Context) (*schema, error) {
	sc := &schema{fields: map[syncd.RecordKind][]field{}, at: a.opts.Now(), zone: a.opts.TimeZone}
	for _, k := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		if err := list(ctx, a, "fields_list", fieldsPath(k), nil, func(fs []field) { sc.fields[k] = append(sc.fields[k], fs...) }); err != nil {
			return nil, err
		}
	}
	if err := list(ctx, a, "pipelines_list", "/pipelines", nil, func(ps []pipeline) { sc.pipelines = append(sc.pipelines, ps...) }); err != nil {
		return nil, err
	}
	if err := list(ctx, a, "stages_list", "/stages", nil, func(ss []stage) { sc.stages = append(sc.stages, ss...) }); err != nil {
		return nil, err
	}
	return sc, nil
}

// Resolve reads the account's fields, pipelines and stages, by which the
// names in the mapping files are turned into keys and ids. syncd calls it
// at start and after SIGHUP; a write before it succeeded resolves first.
func (a *Adapter) Resolve(ctx context.Context) error {
	sc, err := a.loadSchema(ctx)
	if err != nil {
		return fmt.Errorf("pipedrive fields and stages: %w", err)
	}
	sc.renamed = a.renamesIn(ctx, sc)
	a.schema.Store(sc)
	return nil
}

// schemaFor is the resolved schema, read now if it never was.
func (a *Adapter) schemaFor(ctx context.Context) (*schema, error) {
	if sc := a.schema.Load(); sc != nil {
		return sc, nil
	}
	if err := a.Resolve(ctx); err != nil {
		return nil, err
	}
	return a.schema.Load(), nil
}

// field finds a field by key, else by the name a person sees (ignoring
// case). A name two fields share is an error: which one is meant?
func (sc *schema) field(k syncd.RecordKind, name string) (field, error) {
	var found []field
	for _, f := range sc.fields[k] {
		if f.Code == name {
			return f, nil
		}
		if strings.EqualFold(strings.TrimSpace(f.Name), name) {
			found = append(found, f)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if f, ok := sc.renamedField(k, name); ok {
			return f, nil
		}
		return field{}, configErr(name, fmt.Sprintf("no %s field named %q", noun(k), name))
	}
	return field{}, configErr(name, fmt.Sprintf("%d %s fields are named %q: name the one meant by its key", len(found), noun(k), name))
}

// misspelt is the name of the field of kind k that name, which no field
// is named, is probably a misspelling of ("" for none): a mapping's
// "compnay" for a field "Company".
func (sc *schema) misspelt(k syncd.RecordKind, name string) string {
	names := make([]string, 0, len(sc.fields[k]))
	for _, f := range sc.fields[k] {
		names = append(names, f.Name)
	}
	return suggest.Misspelt(name, names)
}

// misspeltFix is what to do of a field s that no field is named, whose
// name is near that of one there is (near): write that one, rather than
// have syncd crm setup create a field under a mistyped name.
func misspeltFix(s syncd.FieldSpec, near string) string {
	return fmt.Sprintf("did you mean %q, a %s field? write it so in %s; if %q is meant, create it in Pipedrive "+
		"(Settings > Data fields), where syncd finds it by its name", near, noun(s.Kind), s.Lines(), s.Name)
}

func noun(k syncd.RecordKind) string {
	if k == syncd.RecordDeal {
		return "deal"
	}
	return "person"
}

// codeAmbiguous is the CRMError.Code of a name several pipelines share.
const codeAmbiguous = "NAME_AMBIGUOUS"

func configErr(property, msg string) *syncd.CRMError {
	return &syncd.CRMError{Class: syncd.ErrConfig, Code: "FIELD_UNKNOWN", Property: property,
		Message: msg} // the pause adds the way out: run syncd crm check
}

// pipelineID resolves a pipeline by name, else by id: a name wins, as for
// stages and options. A name two pipelines share (ignoring case) is an
// error, as a stage's or a field's: which one is meant? Pipedrive's API
// pages say nothing of pipeline names being unique (docs/crm-contracts.md).
func (sc *schema) pipelineID(v string) (int64, error) {
	byID := int64(0)
	var found []string
	id := int64(0)
	for _, p := range sc.pipelines {
		switch {
		case p.Deleted:
		case strings.EqualFold(p.Name, v):
			found, id = append(found, strconv.FormatInt(p.ID, 10)), p.ID
		case byID == 0 && strconv.FormatInt(p.ID, 10) == v:
			byID = p.ID
		}
	}
	switch {
	case len(found) == 1:
		return id, nil
	case len(found) > 1:
		ce := configErr("pipeline", fmt.Sprintf("%d pipelines are named %q (ids %s): write the id of the one meant, or rename one in Pipedrive",
			len(found), v, strings.Join(found, ", ")))
		ce.Code = codeAmbiguous
		return 0, ce
	case byID != 0:
		return byID, nil
	}
	if id, ok := sc.renamedPipelineID(v); ok {
		return id, nil
	}
	return 0, configErr("pipeline", fmt.Sprintf("no pipeline named %q", v))
}

// stageID resolves a stage by name, else by id, within pipeline when it
// is not 0; a name several pipelines use needs the pipeline. A name wins,
// as for options: a stage named "2" is not the stage whose id is 2.
func (sc *schema) stageID(v string, pipeline int64) (int64, error) {
	var found []stage
	byID := int64(0)
	for _, s := range sc.stages {
		if s.Deleted || pipeline != 0 && s.PipelineID != pipeline {
			continue
		}
		if strings.EqualFold(s.Name, v) {
			found = append(found, s)
		}
		if byID == 0 && strconv.FormatInt(s.ID, 10) == v {
			byID = s.ID
		}
	}
	switch {
	case len(found) == 1:
		return found[0].ID, nil
	case len(found) == 0 && byID != 0:
		return byID, nil
	case len(found) == 0:
		if id, ok := sc.renamedStageID(v, pipeline); ok {
			return id, nil
		}
		return 0, configErr("stage", fmt.Sprintf("no stage named %q", v))
	}
	return 0, configErr("stage", fmt.Sprintf("%d pipelines have a stage named %q: write the pipeline too", len(found), v))
}
