package pipedrive

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Pipelines and stages are written by name in the mappings, and a sales
// team renames them in Pipedrive ("Qualified" to "Qualified lead"): the id
// stays, the name finds nothing. As for fields (FieldKeys), the check
// keeps the id of each pipeline and stage it found by the mappings' name,
// so that a later check tells a rename from a deletion and names the new
// name, where it listed every stage of the pipeline to choose from.

// pipelineKeyName and stageKeyName are the state values under which the
// id of the pipeline, or of the stage (of pipeline pid, 0 for any), the
// mappings call name is kept for company: ids are small numbers every
// company counts from 1, so another company's (the configuration given
// another client's token) would tell a stage it lacks as one renamed.
// "" when the company is not known: nothing is kept or looked up.
func pipelineKeyName(company, name string) string {
	if company == "" {
		return ""
	}
	return "pipedrive pipeline " + company + " " + strings.ToLower(strings.TrimSpace(name))
}

func stageKeyName(company string, pid int64, name string) string {
	if company == "" {
		return ""
	}
	return "pipedrive stage " + company + " " + strconv.FormatInt(pid, 10) + " " + strings.ToLower(strings.TrimSpace(name))
}

// company is the id of the company the token belongs to, "" when it cannot
// be read (read once per check: crm.ReadAccount).
func (a *Adapter) company(ctx context.Context) string {
	m, err := a.readMe(ctx)
	if err != nil || m.CompanyID == 0 {
		return ""
	}
	return strconv.FormatInt(m.CompanyID, 10)
}

// keepID records id under name when it is not kept already; a failure
// only loses the rename's words at a later check, so it is not the
// check's.
func (a *Adapter) keepID(ctx context.Context, name string, id int64) {
	if a.opts.Keys == nil || name == "" {
		return
	}
	v := strconv.FormatInt(id, 10)
	if old, ok, err := a.opts.Keys.StateValue(ctx, name); err == nil && ok && old == v {
		return
	}
	_ = a.opts.Keys.SetStateValue(ctx, name, v)
}

// keptID is the id kept under name, 0 when none.
func (a *Adapter) keptID(ctx context.Context, name string) int64 {
	if a.opts.Keys == nil || name == "" {
		return 0
	}
	v, ok, err := a.opts.Keys.StateValue(ctx, name)
	if err != nil || !ok {
		return 0
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id
}

// renamedPipeline is the pipeline the mappings call name, found before by
// that name and since renamed: its id kept, in the account under another
// name.
func (a *Adapter) renamedPipeline(ctx context.Context, sc *schema, company, name string) (pipeline, bool) {
	id := a.keptID(ctx, pipelineKeyName(company, name))
	for _, p := range sc.pipelines {
		if id != 0 && p.ID == id && !p.Deleted && !strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return pipeline{}, false
}

// renamedStage is renamedPipeline for a stage of pipeline pid (0: any).
func (a *Adapter) renamedStage(ctx context.Context, sc *schema, company string, pid int64, name string) (stage, bool) {
	id := a.keptID(ctx, stageKeyName(company, pid, name))
	for _, s := range sc.stages {
		if id != 0 && s.ID == id && !s.Deleted && (pid == 0 || s.PipelineID == pid) && !strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return stage{}, false
}

// renamedStageWords are the problem and fix of a pipeline or stage (what)
// the mappings call old, renamed to now in Pipedrive (id), written at
// places: each of them, as one left behind stays a problem of the check
// (the daemon sends on by the kept id meanwhile: renames).
func renamedStageWords(what, old, now string, id int64, places []string) (problem, fix string) {
	problem = fmt.Sprintf("%s %q was renamed to %q in Pipedrive (id %d)", what, old, now, id)
	if len(places) == 1 {
		return problem, fmt.Sprintf("rename it back in Pipedrive, or write %q in %s", now, places[0])
	}
	return problem, fmt.Sprintf("rename it back in Pipedrive, or write %q in every place that writes %q (%d places: %s)",
		now, old, len(places), strings.Join(places, ", "))
}
