package syncd

// Wording is a CRM adapter that says how its CRM names itself and its
// records, for the advice syncd gives an operator about one of them: the
// syncer asks the adapter rather than testing its name.
type Wording interface {
	// Label is the CRM's name as its users write it ("Pipedrive").
	Label() string
	// Noun is the CRM's word for a record of kind k ("person", "deal").
	Noun(k RecordKind) string
	// SettleSetting is the setting that says how long a record the CRM
	// took may stay out of its search and lists, which syncd waits out
	// before it creates the record again ("crm.pipedrive.settle_time");
	// "" when there is none to name.
	SettleSetting() string
}
