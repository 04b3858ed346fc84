// Package storetest is the store conformance suite: the same tests run
// against every store (internal/sqlite, internal/postgres), so that a store
// is the same interfaces again, behaving alike. Each store's tests call Run
// with a way to open it.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/storeapi"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/webhook"
)

// Store is a store under test: what the daemon's parts and commands use.
type Store interface {
	storeapi.Store
	crm.Intents
	SetStateValue(ctx context.Context, name, value string) error
}

// Intake is a store's group-commit writer.
type Intake interface {
	webhook.Store
	Run(ctx context.Context) error
	Ready(ctx context.Context) error // the store takes writes now (/readyz)
}

// Handle is one open handle on the database under test: what one instance
// of the daemon holds.
type Handle struct {
	Store     Store
	NewIntake func(window time.Duration) Intake
	// RefuseContact makes the database refuse, as a constraint would,
	// every outbox operation of the contact key from now on.
	RefuseContact func(key string)
	// Busy holds the database's write lock from another connection, as a
	// backup or another instance does, and returns a store on it that
	// waits for a lock only briefly; release lets go of the lock.
	Busy func() (s Store, release func())
	// PurgedKeepingFields empties the body of event id as the retention
	// purge of an older syncd did, keeping its type and idempotency key
	// whatever they hold (the purge now drops those that are not plain).
	PurgedKeepingFields func(id int64)
	// TypesMigrated runs, on the database, the migration step an upgrade
	// runs on events an older syncd stored with a documented type in
	// another case or with white space around it (storesql.DocumentTypes,
	// in a transaction of its own, as the store's migration runs it).
	TypesMigrated func()
}

// Opener makes a new, empty database for one test and returns how to open
// handles on it; each handle is opened with the test's clock.
type Opener func(t *testing.T) func(now func() time.Time) Handle

// Run runs the whole suite against the store open makes.
func Run(t *testing.T, open Opener) {
	tests := map[string]func(*testing.T, *env){
		"IntakeAcceptsAndCountsDuplicates":  testIntakeDuplicates,
		"IntakeIDsWithoutGaps":              testIntakeIDsWithoutGaps,
		"IntakeWindowEnds":                  testIntakeWindow,
		"PurgeSweepsKeysPastTheWindow":      testPurgeKeys,
		"IntakeLongerWindowAfterASweep":     testLongerWindow,
		"IntakeQuarantine":                  testIntakeQuarantine,
		"IntakeTwoInstancesStoreOnce":       testIntakeTwoInstances,
		"IntakeDrainsOnStop":                testIntakeStop,
		"IntakeCallerGivesUp":               testIntakeCallerGivesUp,
		"EventsFilter":                      testEventsFilter,
		"RepairQuarantined":                 testRepair,
		"RepairedBodyRetriedIsADuplicate":   testRepairedBodyRetried,
		"RepairedChangeJoinsItsEvent":       testRepairChangedDelivery,
		"RepairCountsWhatWasNotCounted":     testRepairCountsWhatWasNotCounted,
		"DismissedBodyWaitsNoMore":          testDismissedBodyWaitsNoMore,
		"UnmappableWaitsUntilDealtWith":     testUnmappableWaitsUntilDealtWith,
		"DuplicateWithAnotherBody":          testDuplicateWithAnotherBody,
		"UnmappableTakesTheLaterBody":       testUnmappableTakesTheLaterBody,
		"MappingEnqueuesOnce":               testMappingOnce,
		"ContactChangedBackIsSentAgain":     testContactChangedBackIsSentAgain,
		"RetryDeadDealRevivesItsSiblings":   testRetryDeadDealRevivesItsSiblings,
		"ClaimContactsBeforeDeals":          testClaimOrder,
		"ClaimLeaseRunsOut":                 testClaimLease,
		"ClaimOlderOpOnSameRecordFirst":     testClaimSameRecord,
		"ClaimContactsRunOfUpdatesTogether": testClaimContactRun,
		"ClaimTwoInstancesDisjoint":         testClaimDisjoint,
		"WaitsForWhatTheClaimWaitsFor":      testWaitsFor,
		"WaitsForEachAsWaitsFor":            testWaitsForEach,
		"PendingPagesInIDOrder":             testPendingPages,
		"PendingLeftCountsWithoutReading":   testPendingLeft,
		"ReplayDropsSupersededOps":          testDropSuperseded,
		"ReplayRevivesDealsOfADeadContact":  testDropSupersededRevivesDeals,
		"ReplayRevivesNoDealGivenUpByHand":  testDropSupersededRevivesNoDealGivenUp,
		"FinishRecordsLinksAndDeadLetters":  testFinish,
		"RetryDeadContactRevivesItsDeals":   testRetryDead,
		"RetryDeadDealRevivesItsContact":    testRetryDeadDeal,
		"RetryRevivesUpdatesDeadTogether":   testRetryRevivesTheUpdatesThatDiedTogether,
		"OutboxDepthsAndList":               testDepths,
		"OutboxDepthsCountLeased":           testDepthsLeased,
		"LastSyncNotWhileALeaseHoldsOps":    testLastSyncLeased,
		"LinksSetAndFor":                    testLinks,
		"ReportRecordsAndMailState":         testReports,
		"LastReport":                        testLastReport,
		"ReportAlarms":                      testReportAlarms,
		"ReportMailParts":                   testReportMailParts,
		"ReportMailWaiting":                 testReportMailWaiting,
		"ReportMailNote":                    testReportMailNote,
		"GivenUpAttention":                  testGivenUpAttention,
		"ReportLeadGivenUp":                 testReportLeadGivenUp,
		"ReportDealDeletedInCRM":            testReportDealDeletedInCRM,
		"ReportLeadsAndAttention":           testReportRows,
		"ReportFollowsTheConfiguredCRM":     testReportFollowsTheConfiguredCRM,
		"ReturningLeadShowsItsContact":      testReturningLeadShowsItsContact,
		"RemadeContactShowsItsNewID":        testRemadeContactShowsItsNewID,
		"ReportLeavesOutTheErased":          testReportLeavesOutTheErased,
		"ReportReadsATypeInAnotherCase":     testReportReadsATypeInAnotherCase,
		"ReportAttentionAlike":              testReportAttention,
		"LeftOutAttention":                  testLeftOutAttention,
		"ReportAttentionWithoutTheErased":   testReportAttentionWithoutTheErased,
		"ReportCountsTheErasedLeads":        testReportCountsTheErasedLeads,
		"ReportShowsTheReasonAndContact":    testReportShowsTheReasonAndTheContactSent,
		"ReportContactOfAReturningClient":   testReportNamesTheContactOfAReturningClient,
		"ReportReasonIsTheContacts":         testReportReasonIsTheContacts,
		"RequeueContactTheCRMLost":          testRequeueContact,
		"ForgetLinksOfAnAccountLeft":        testForgetLinks,
		"ForgetLinksSendsNoOldErasure":      testForgetLinksErasures,
		"ForgetLinksErasuresStayUnsent":     testForgetLinksErasuresStayUnsent,
		"ForgetLinksErasureGivenUp":         testForgetLinksErasureGivenUp,
		"DropUnsentOpsOfACRMGone":           testDropUnsentOps,
		"LeadsOnlyForTheDryRun":             testLeadsOnlyFor,
		"OpIDsNotGivenAgain":                testOpIDsNotGivenAgain,
		"GiveUpOpByHand":                    testGiveUpOp,
		"GiveUpDeadLetterDealtWithByHand":   testGiveUpDeadLetter,
		"GiveUpTakesUpdatesDeadTogether":    testGiveUpTakesTheUpdatesThatDiedTogether,
		"RetryAllLeavesTheGivenUp":          testRetryAllLeavesTheGivenUp,
		"IntentsSharedByInstances":          testIntents,
		"PurgeKeepsWhatIsStillNeeded":       testPurge,
		"PurgeRunsPastOneBatch":             testPurgeBatches,
		"PurgeNamesTheDaysOfWhatItDropped":  testPurgeNamesTheDays,
		"PurgeReachesARepairedOldBody":      testPurgeRepairedOldBody,
		"PurgeKeepsEachKindItsOwnDays":      testPurgeKeepsEachKindItsOwnDays,
		"PersonDataFindsOnePerson":          testPersonData,
		"EraseLeavesNoTrace":                testErase,
		"PersonDataByName":                  testPersonDataByName,
		"EraseByEvent":                      testEraseByEvent,
		"EraseWaitsForADeliveryInFlight":    testEraseLeased,
		"EraseKeepsOtherContactsLinks":      testEraseKeepsOthersLinks,
		"LinksSayWhenRecorded":              testLinksSayWhenRecorded,
		"DealsOfPurgedLeadsAreThePersons":   testDealsOfPurgedLeadsAreThePersons,
		"EraseErasesWhatItRead":             testEraseErasesWhatItRead,
		"EraseFindsPersonInSendersFields":   testEraseFindsThePersonInTheSendersFields,
		"PurgeDropsSendersFieldsNotPlain":   testPurgeDropsTheSendersFieldsThatAreNotPlain,
		"EraseQueuesOnAnEventOfItsOwn":      testEraseQueuesOnAnEventOfItsOwn,
		"EraseSaysWhyItRefuses":             testEraseSaysWhyItRefuses,
		"EraseNamesUnlinkedDeals":           testEraseNamesUnlinkedDeals,
		"EraseQueuesOneErasurePerContact":   testEraseQueuesOneErasurePerContact,
		"ErasuresAtFindsAnErasureByItsTime": testErasuresAtFindsAnErasureByItsTime,
		"HeldSaysWhatThePurgeLeft":          testHeldSaysWhatThePurgeLeft,
		"PersonDataNamesTheErasures":        testErasureAudit,
		"PurgeDropsOldErasuresIdentifiers":  testPurgeDropsOldErasuresIdentifiers,
		"MappingAfterEraseRecordsNothing":   testMappingAfterErase,
		"RefusedWriteIsNotABusyOne":         testRefusedIsNotBusy,
		"EventSaysWhenItsBodyWent":          testBodyGoneSaysWhen,
		"AdapterPauseCRMFailingAndLastSync": testState,
		"StateWrittenOnlyOverWhatWasRead":   testSwapState,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each on a database of its own
			handle := open(t)
			e := &env{t: t, ctx: context.Background(), open: handle}
			e.clock = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			e.Handle = e.instance()
			fn(t, e)
		})
	}
}

// env is one test's database, clock and first handle.
type env struct {
	Handle
	t     *testing.T
	ctx   context.Context
	open  func(now func() time.Time) Handle
	mu    sync.Mutex
	clock time.Time
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clock
}

// advance moves the test's clock.
func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.clock = e.clock.Add(d)
	e.mu.Unlock()
}

// instance opens another handle on the same database, closed at the end.
func (e *env) instance() Handle {
	h := e.open(e.now)
	e.t.Cleanup(func() { h.Store.Close() })
	return h
}

// runIntake starts an intake writer on h, stopped at the end of the test.
func (e *env) runIntake(h Handle, window time.Duration) Intake {
	in, stop := e.startIntake(h, window)
	e.t.Cleanup(stop)
	return in
}

// startIntake starts an intake writer on h; stop stops it and waits.
func (e *env) startIntake(h Handle, window time.Duration) (in Intake, stop func()) {
	in = h.NewIntake(window)
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	return in, func() { cancel(); <-done }
}

// incoming is a parsed Lokalebasen delivery with key.
func incoming(key string) syncd.Incoming {
	body := fmt.Sprintf(`{"event_type":"enquiry_created","id":%q}`, key)
	return syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: syncd.TypeEnquiryCreated,
		Key: key, Body: []byte(body), Parse: syncd.ParseStrict, RemoteAddr: "192.0.2.1"}
}

// event stores one delivery and returns its id.
func (e *env) event(in Intake, key string) int64 {
	e.t.Helper()
	rec, err := in.Store(e.ctx, incoming(key))
	if err != nil || rec.Outcome != syncd.Accepted {
		e.t.Fatalf("store %s: %+v, %v", key, rec, err)
	}
	return rec.ID
}

// lead returns the contact and deal ops of lead i of event ev.
func lead(ev int64, i int) []syncd.Op {
	email := fmt.Sprintf("lead%d@example.com", i)
	return []syncd.Op{
		{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": email}, MappingFile: "lb.yaml", MappingHash: "h1"},
		{EventID: ev, Target: "hubspot", Kind: syncd.RecordDeal, Key: fmt.Sprintf("lead-%d", i), ContactKey: email,
			Properties: map[string]string{"dealname": fmt.Sprint("Deal ", i)}, MappingFile: "lb.yaml", MappingHash: "h1"},
	}
}

// mapped stores an event for lead i and records its ops, returning the event id.
func (e *env) mapped(in Intake, i int) int64 {
	e.t.Helper()
	ev := e.event(in, fmt.Sprint("lead-key-", i))
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", lead(ev, i)); err != nil || n != 2 {
		e.t.Fatalf("record mapping: %d, %v", n, err)
	}
	return ev
}

// claim claims up to limit ops of kind with a one-minute lease.
func (e *env) claim(s Store, kind syncd.RecordKind, limit int) []syncd.Op {
	e.t.Helper()
	ops, err := s.FinishAndClaimOps(e.ctx, nil, "hubspot", kind, limit, time.Minute)
	if err != nil {
		e.t.Fatalf("claim: %v", err)
	}
	return ops
}
