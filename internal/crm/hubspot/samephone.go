package hubspot

import (
	"sync"
	"time"
)

// justWritten remembers, for the minutes HubSpot search may miss a new
// contact (Options.SearchLag), which contact syncd last wrote with each
// phone. A phone-only lead that search does not find goes to it, where it
// made a second contact of a person who enquired by email and phone and
// then by phone alone within those minutes. Kept in memory only: a phone
// for at most SearchLag, no personal data stored or logged.
type justWritten struct {
	mu   sync.Mutex
	byPh map[string]writtenAt
}

type writtenAt struct {
	id string
	at time.Time
}

// note records that contact id was written with phone at now, and forgets
// those older than lag.
func (j *justWritten) note(phone, id string, now time.Time, lag time.Duration) {
	if phone == "" || id == "" {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.byPh == nil {
		j.byPh = map[string]writtenAt{}
	}
	for p, w := range j.byPh {
		if now.Sub(w.at) >= lag {
			delete(j.byPh, p)
		}
	}
	j.byPh[phone] = writtenAt{id: id, at: now}
}

// find is the contact written with phone less than lag before now, or "".
func (j *justWritten) find(phone string, now time.Time, lag time.Duration) string {
	j.mu.Lock()
	defer j.mu.Unlock()
	w, ok := j.byPh[phone]
	if !ok || now.Sub(w.at) >= lag {
		return ""
	}
	return w.id
}

// forget drops what is remembered of contact id (HubSpot no longer has it).
func (j *justWritten) forget(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for p, w := range j.byPh {
		if w.id == id {
			delete(j.byPh, p)
		}
	}
}
