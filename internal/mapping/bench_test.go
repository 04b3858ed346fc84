package mapping

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
	"golang.org/x/text/unicode/norm"
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

// BenchmarkComposeValues is the Unicode composition (NFC) every mapped
// value goes through, over the values of one typical lead, ASCII and
// Danish (the pipeline's cost of it, measured alone):
//
//	go test ./internal/mapping -run '^$' -bench ComposeValues -benchmem
func BenchmarkComposeValues(b *testing.B) {
	vals := []string{"Jane Erasmus", "jane.erasmus@example.com", "+4552250559", "Acme ApS", "lokalebasen", "client",
		"https://www.lokalebasen.dk/leje/kontorlokaler/8000-aarhus-c/ab-20064",
		"Vi søger 250 m² i Århus, gerne med parkering og kantine. Kan vi komme og se det på torsdag?",
		"20064", "Lokalebasen enquiry 20064: Jane Erasmus", "appointmentscheduled", "default", "2026-11-30"}
	b.ReportAllocs()
	for range b.N {
		for _, v := range vals {
			composeSink = norm.NFC.String(v)
		}
	}
}

var composeSink string

// BenchmarkHTMLText turns each realistic message of testdata/htmltext
// (mail clients' and portals' HTML) into text, and a client's plain
// comment, as htmlToText does on every lead's message:
//
//	go test ./internal/mapping -run '^$' -bench HTMLText -benchmem
func BenchmarkHTMLText(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "htmltext", "*.html"))
	if err != nil || len(files) == 0 {
		b.Fatal("no messages in testdata/htmltext", err)
	}
	msgs := map[string]string{"plain": "Hej,\n\nVi søger 200-300 m2 i Aarhus C.\nBudget 5000<x<8000 kr & gerne p-plads.\n\nMvh A"}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msgs[strings.TrimSuffix(filepath.Base(f), ".html")] = string(data)
	}
	for _, name := range slices.Sorted(maps.Keys(msgs)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				htmlSink = HTMLText(msgs[name])
			}
		})
	}
}

var htmlSink string
