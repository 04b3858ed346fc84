package pipedrive

import (
	"context"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// renames are the names the mappings write that the account now knows
// under another: a field, pipeline or stage a check found by that name
// (its key or id kept: FieldKeys, stagekeys.go) and a user renamed since
// in Pipedrive. The schema deals are sent by holds them, so that a deal
// still goes to the field and stage meant: before, the first deal after
// a reload or restart that read the renamed account failed with "no stage
// named" and paused the adapter, every lead waiting until someone edited
// the mappings, though the stage was the same one. `syncd crm check`
// still names each rename as a problem and says to write the new name
// (its own reading holds no renames): a name kept for ever would send
// deals to a stage later made under the old name.
type renames struct {
	fields    map[syncd.FieldRef]string // the mappings' name (lower case) → the field's key
	pipelines map[string]int64          // name (lower case) → id
	stages    map[stageRef]int64        // pipeline id (0: any) and name (lower case) → id
}

// stageRef names a stage as the mappings write it, in pipeline pid (0:
// any).
type stageRef struct {
	pid  int64
	name string
}

// fold is a name as renames index it.
func fold(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// renamesIn finds, for the schema sc just read, the renames of what the
// mappings (SetFields) write; nil when there are none, or no keys kept.
// It reads the kept keys only for a name sc lacks.
func (a *Adapter) renamesIn(ctx context.Context, sc *schema) *renames {
	fs := a.fields.Load()
	if a.opts.Keys == nil || fs == nil {
		return nil
	}
	r := &renames{fields: map[syncd.FieldRef]string{}, pipelines: map[string]int64{}, stages: map[stageRef]int64{}}
	var specs []syncd.FieldSpec
	for _, s := range *fs {
		specs = append(specs, s)
	}
	for _, s := range a.withLead(specs) {
		if system(s.Kind, s.Name) {
			continue
		}
		if f, ok, err := a.renamed(ctx, sc, s); err == nil && ok {
			r.fields[syncd.FieldRef{Kind: s.Kind, Name: fold(s.Name)}] = f.Code
		}
	}
	a.stageRenames(ctx, sc, specs, r)
	if len(r.fields)+len(r.pipelines)+len(r.stages) == 0 {
		return nil
	}
	return r
}

// stageRenames adds to r the pipelines and stages the mappings write by
// a name sc lacks, renamed since a check found them. A stage's id is kept
// under the pipeline the check resolved (0 when the mappings write
// several or compute it), so each pipeline written is tried, and 0.
func (a *Adapter) stageRenames(ctx context.Context, sc *schema, specs []syncd.FieldSpec, r *renames) {
	var company string
	known := func() string {
		if company == "" {
			company = a.company(ctx)
		}
		return company
	}
	pids := []int64{0}
	for _, s := range specsNamed(specs, "pipeline", "pipeline_id") {
		for _, v := range s.Values {
			if id, err := sc.pipelineID(v); err == nil {
				pids = append(pids, id)
			} else if p, ok := a.renamedPipeline(ctx, sc, known(), v); ok {
				r.pipelines[fold(v)] = p.ID
				pids = append(pids, p.ID)
			}
		}
	}
	for _, s := range specsNamed(specs, "stage", "stage_id") {
		for _, v := range s.Values {
			for _, pid := range pids {
				if _, err := sc.stageID(v, pid); err == nil {
					continue
				}
				if st, ok := a.renamedStage(ctx, sc, known(), pid, v); ok {
					r.stages[stageRef{pid, fold(v)}] = st.ID
				}
			}
		}
	}
}

// renamedField is the field the mappings call name on kind's records,
// renamed since (renames), if any.
func (sc *schema) renamedField(k syncd.RecordKind, name string) (field, bool) {
	if sc.renamed == nil {
		return field{}, false
	}
	key, ok := sc.renamed.fields[syncd.FieldRef{Kind: k, Name: fold(name)}]
	if !ok {
		return field{}, false
	}
	for _, f := range sc.fields[k] {
		if f.Code == key {
			return f, true
		}
	}
	return field{}, false
}

// renamedPipelineID is the id of the pipeline the mappings call v,
// renamed since, if any.
func (sc *schema) renamedPipelineID(v string) (int64, bool) {
	if sc.renamed == nil {
		return 0, false
	}
	id, ok := sc.renamed.pipelines[fold(v)]
	return id, ok
}

// renamedStageID is the id of the stage the mappings call v in pipeline
// pid (0: any), renamed since, if any.
func (sc *schema) renamedStageID(v string, pid int64) (int64, bool) {
	if sc.renamed == nil {
		return 0, false
	}
	if id, ok := sc.renamed.stages[stageRef{pid, fold(v)}]; ok {
		return id, true
	}
	id, ok := sc.renamed.stages[stageRef{0, fold(v)}] // kept under any pipeline: is it in this one?
	for _, s := range sc.stages {
		if ok && s.ID == id && (pid == 0 || s.PipelineID == pid) {
			return id, true
		}
	}
	return 0, false
}
