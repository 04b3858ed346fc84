package main

import (
	dto "github.com/prometheus/client_model/go"

	"github.com/syncd-dev/syncd/internal/metrics"
)

// daemonWaiting is what the daemon's /metrics count of the leads waiting
// for a person: the quarantined bodies (metrics.NameQuarantineWaiting, all
// sources) and the unmappable leads (metrics.NameUnmappableWaiting), as it
// counted them from the database every 15 s.
type daemonWaiting struct {
	Quarantine, Unmappable int
}

// waitingFrom reads the daemon's counts of the leads waiting for a person.
func waitingFrom(fams map[string]*dto.MetricFamily) daemonWaiting {
	return daemonWaiting{Quarantine: int(sum(fams[metrics.NameQuarantineWaiting])),
		Unmappable: int(sum(fams[metrics.NameUnmappableWaiting]))}
}

// notReadHere records that status could not open the daemon's database as
// the user it runs as (why), and takes the daemon's counts of the leads
// waiting for a person in place of the database's, without their ids:
// status run by a monitoring user said nothing of a quarantined body
// waiting, exit 0, while the daemon exported it and Prometheus alerted.
func (s *Snapshot) notReadHere(why string) {
	s.NotReadHere = why
	s.QuarantineWaiting, s.QuarantineShown = s.DaemonWaiting.Quarantine, nil
	s.Unmappable, s.UnmappableIDs = s.DaemonWaiting.Unmappable, nil
}
