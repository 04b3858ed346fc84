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
	mu    sync.Mutex
	byPh  map[string]writtenAt
	swept time.Time // when those older than the lag were last dropped
}

// maxJustWritten bounds what is remembered: past it (more contacts
// written within the lag than an agency writes in a day), a phone is not
// noted, and its phone-only lead within the lag is left to search, as
// before. A few hundred bytes an entry: at most some megabytes, however
// long a burst.
const maxJustWritten = 10_000

type writtenAt struct {
	id string
	at time.Time
}

// note records that contact id was written with phone at now, and forgets
// those older than lag: at most once a lag (each note sweeping the whole
// map made a burst's notes quadratic in its size).
func (j *justWritten) note(phone, id string, now time.Time, lag time.Duration) {
	if phone == "" || id == "" {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.byPh == nil {
		j.byPh = map[string]writtenAt{}
	}
	if now.Sub(j.swept) >= lag {
		for p, w := range j.byPh {
			if now.Sub(w.at) >= lag {
				delete(j.byPh, p)
			}
		}
		j.swept = now
	}
	if _, ok := j.byPh[phone]; ok || len(j.byPh) < maxJustWritten {
		j.byPh[phone] = writtenAt{id: id, at: now}
	}
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
