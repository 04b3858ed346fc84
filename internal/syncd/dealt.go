package syncd

// DealableWith says whether ev is an unmappable lead an operator may
// record as dealt with (syncd events done): nil when it is, an EInvalid
// error saying why not else. One dealt with already is one (nothing to
// record again).
func DealableWith(ev Event) error {
	switch {
	case ev.MapState != MapUnmappable:
		return Errorf(EInvalid, "event %d is %s, not an unmappable lead: nothing waits to be dealt with", ev.ID, ev.MapState)
	case !ev.ErasedAt.IsZero():
		return Errorf(EInvalid, "event %d was erased by syncd erase: it waits for no one", ev.ID)
	case !ev.PurgedAt.IsZero():
		return Errorf(EInvalid, "event %d was purged by the retention: it waits for no one", ev.ID)
	}
	return nil
}
