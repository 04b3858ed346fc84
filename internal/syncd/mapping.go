package syncd

// Mapping is the outcome of mapping one event, as the store records it: the
// event's new state, why (for unmappable events) and the operations made.
type Mapping struct {
	EventID int64
	State   MapState
	Reason  string
	Ops     []Op
}
