package mapping

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchmarkMap maps one event with the shipped mappings:
//
//	go test ./internal/mapping -run '^$' -bench Map -benchmem
//
// Besides ns/op it reports x-unmarshal: the time of one Map relative to
// json.Unmarshal of the same payload into a map, measured in the same run,
// so the figure means something on a busy shared machine too.
func BenchmarkMap(b *testing.B) {
	for _, tc := range []struct {
		target, name string
		kind         syncd.Kind
	}{
		{"hubspot", "lokalebasen/enquiry_created", syncd.KindLokalebasen},
		{"hubspot", "eaf/email_lead", syncd.KindEAF},
		{"pipedrive", "lokalebasen/enquiry_created", syncd.KindLokalebasen},
		{"hubspot", "eaf/feed_import", syncd.KindEAF}, // ignored: the floor
	} {
		rules, err := Load(filepath.Join(mappingsDir, tc.target), tc.target)
		if err != nil {
			b.Fatal(err)
		}
		ev := fixtureEvent(b, tc.kind, filepath.Join(webhooksDir, tc.name+".json"))
		b.Run(tc.target+"/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res := rules.Map(ev); res.State == syncd.MapUnmappable {
					b.Fatal(res.Reason)
				}
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			// the baseline, as many times, right after (testing.Benchmark
			// cannot run inside a benchmark)
			start := time.Now()
			for range b.N {
				var v map[string]any
				if err := json.Unmarshal(ev.Payload, &v); err != nil {
					b.Fatal(err)
				}
			}
			base := float64(time.Since(start).Nanoseconds()) / float64(b.N)
			b.ReportMetric(perOp/base, "x-unmarshal")
		})
	}
}
