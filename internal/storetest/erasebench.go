package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// BenchSubject is person n of the stores' erase benchmarks (an email
// person<n>@example.com and the phone +45 20 12 34 56), as syncd erase
// -email makes it, patterns and phone forms included.
func BenchSubject(n int) syncd.Subject {
	email := fmt.Sprintf("person%d@example.com", n)
	return syncd.Subject{ID: email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email}},
		Patterns: []string{email, fmt.Sprintf(`person%d\u0040example.com`, n), fmt.Sprintf("person%d%%40example.com", n),
			"+4520123456", "+45 20 12 34 56", "20 12 34 56", "20123456", "004520123456"},
		Phones: []string{"20123456", "4520123456", "004520123456"}}
}

// Eraser is what BenchErase needs of a store.
type Eraser interface {
	PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error)
	Erase(ctx context.Context, s syncd.Subject, found syncd.PersonData, crmTarget string) (syncd.Erasure, error)
}

// BenchErase erases b.N people of a store filled with the erase
// benchmarks' people (BenchSubject 2000 on, each with one event and two
// operations), end to end as syncd erase does: the person's data read,
// then the erase. It reports the read's share as read-ms.
func BenchErase(b *testing.B, st Eraser) {
	ctx := context.Background()
	var read time.Duration
	b.ResetTimer()
	for i := range b.N {
		s, t0 := BenchSubject(2000+i), time.Now()
		pd, err := st.PersonData(ctx, s)
		read += time.Since(t0)
		if err != nil || len(pd.Events) != 1 {
			b.Fatalf("%d events, %v", len(pd.Events), err)
		}
		er, err := st.Erase(ctx, s, pd, "")
		if err != nil || er.Events != 1 || er.Ops != 2 {
			b.Fatalf("erased %d events, %d operations, %v; want 1 and 2", er.Events, er.Ops, err)
		}
	}
	b.ReportMetric(float64(read.Milliseconds())/float64(b.N), "read-ms")
}
