package hubspot

import (
	"maps"
)

// keepPipeline is update, the properties an update of an existing deal
// writes, without the deal stage when a person moved the deal to another
// pipeline (now, as HubSpot holds it) than the one the lead writes at
// create (wanted; a lead that writes none is sent as it is: the account's
// default pipeline is not known here) and the update does not write a
// pipeline: the mapping's stage is a stage of its own
// pipeline, which HubSpot refuses in the deal's (INVALID_OPTION). The
// move was meant: the deal stays where it was put, the rest of the update
// is written, and a warning says so. Before, the refusal paused the
// adapter for every lead, its fix saying to write the pipeline beside the
// stage (which the mapping did), then the lead was dead-lettered as the
// record's own value once the check passed.
func (a *Adapter) keepPipeline(update map[string]string, wanted, now, dealID, leadID string) map[string]string {
	stage, writesStage := update["dealstage"]
	_, writesPipeline := update["pipeline"]
	if !writesStage || writesPipeline || wanted == "" || now == "" || now == wanted {
		return update
	}
	out := maps.Clone(update)
	delete(out, "dealstage")
	a.opts.Logger.Warn().Str("deal_id", dealID).Str("lead_id", leadID).Str("pipeline", now).
		Str("mapping_pipeline", wanted).Str("dealstage", stage).
		Str("fix", "nothing, if the move was meant; to leave every deal's stage to the salespeople, write dealstage at create only (write: create) in the mappings").
		Msg("hubspot: the lead's deal was moved to another pipeline in HubSpot: its update is written without the mapping's deal stage, a stage of the pipeline the mapping writes")
	return out
}

// dealPipelines maps the lead id of each deal a batch read returned (ids
// normalized as normID does) to that deal's HubSpot id and pipeline.
func dealPipelines(idProp string, results []object) map[string][2]string {
	out := make(map[string][2]string, len(results))
	for _, r := range results {
		out[normID(idProp, r.Properties[idProp])] = [2]string{r.ID, r.Properties["pipeline"]}
	}
	return out
}
