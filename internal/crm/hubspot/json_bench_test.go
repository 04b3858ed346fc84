package hubspot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
)

// benchBatch is an n-deal batch upsert as the shipped mappings make it,
// and HubSpot's answer, which echoes every property and adds its own.
func benchBatch(tb testing.TB, n int) ([]input, *crm.Response) {
	tb.Helper()
	msg := strings.Repeat("Vi søger 250 m² kontor i Aarhus C & omegn, gerne med parkering.\n", 5)
	inputs := make([]input, n)
	results := make([]map[string]any, n)
	for i := range inputs {
		lead := fmt.Sprintf("lokalebasen:%064x", i)
		p := map[string]string{"dealname": fmt.Sprintf("Lokalebasen enquiry %d: Jens Ærø", i), "pipeline": "default",
			"dealstage": "appointmentscheduled", "description": msg, "syncd_lead_id": lead, "syncd_source": "lokalebasen",
			"syncd_portal": "lokalebasen.dk", "syncd_property_reference": "LB-" + strconv.Itoa(100000+i),
			"syncd_enquiry_at": "2026-11-30T08:00:00Z", "amount": "125000"}
		inputs[i] = input{ID: lead, IDProperty: "syncd_lead_id", Properties: p, TraceID: "syncd-" + strconv.Itoa(i)}
		echo := map[string]any{"hs_object_id": strconv.Itoa(9000 + i), "createdate": "2026-11-30T08:00:01.123Z",
			"hs_lastmodifieddate": "2026-11-30T08:00:01.123Z", "closedate": nil}
		for k, v := range p {
			echo[k] = v
		}
		results[i] = map[string]any{"id": strconv.Itoa(9000 + i), "properties": echo, "createdAt": "2026-11-30T08:00:01.123Z",
			"updatedAt": "2026-11-30T08:00:01.123Z", "archived": false, "new": true, "objectWriteTraceId": inputs[i].TraceID}
	}
	body, err := json.Marshal(map[string]any{"status": "COMPLETE", "results": results,
		"startedAt": "2026-11-30T08:00:01Z", "completedAt": "2026-11-30T08:00:01Z"})
	if err != nil {
		tb.Fatal(err)
	}
	return inputs, &crm.Response{Status: 200, Body: body}
}

// BenchmarkBatchJSON measures the CPU the adapter spends per record on the
// JSON of a batch upsert of 1, 10 and 100 deals (the syncer sends up to
// 100, fewer when fewer are due): encoding the request body, decoding the
// answer, and both. "encoding-json" is the way it was done before
// (json.Marshal of the body, crm.DecodeJSON of the answer), the baseline
// of "direct" in the same run. Run:
//
//	go test ./internal/crm/hubspot -run '^$' -bench BatchJSON -benchmem -count 6
func BenchmarkBatchJSON(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		benchBatchJSON(b, n)
	}
}

// benchBatchJSON runs BenchmarkBatchJSON's parts for a batch of n deals.
func benchBatchJSON(b *testing.B, n int) {
	inputs, resp := benchBatch(b, n)
	ways := []struct {
		name   string
		encode func() []byte
		decode func() (batchAnswer, error)
	}{
		{"encoding-json", func() []byte { return oldUpsertBody(b, inputs) },
			func() (batchAnswer, error) { var a batchAnswer; return a, crm.DecodeJSON(resp, &a) }},
		{"direct", func() []byte { return upsertBody(inputs) }, func() (batchAnswer, error) { return decodeBatch(resp) }},
	}
	for _, part := range []string{"encode", "decode", "both"} {
		for _, w := range ways {
			b.Run(part+"/"+strconv.Itoa(n)+"/"+w.name, func(b *testing.B) {
				for b.Loop() {
					if part != "decode" && len(w.encode()) == 0 {
						b.Fatal("empty body")
					}
					if part != "encode" {
						if a, err := w.decode(); err != nil || len(a.Results) != len(inputs) {
							b.Fatalf("decode: %v", err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(inputs)), "ns/record")
			})
		}
	}
}
