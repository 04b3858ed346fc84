PRAGMA user_version = 9;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    source           TEXT    NOT NULL,              -- configured source name
    kind             TEXT    NOT NULL,              -- lokalebasen | eaf
    type             TEXT    NOT NULL,              -- event_type / eaf_type; '' when absent
    idem_key         TEXT    NOT NULL,              -- eaf:<eaf_id> | sha256:<canonical JSON hash>
    body             BLOB    NOT NULL,              -- raw bytes as received
    payload          TEXT,                          -- standardised JSON when parse = 'lenient'; NULL otherwise
    parse            TEXT    NOT NULL,              -- strict | lenient
    received_at      TEXT    NOT NULL,
    last_delivery_at TEXT    NOT NULL,
    deliveries       INTEGER NOT NULL DEFAULT 1,
    remote_addr      TEXT    NOT NULL DEFAULT '',
    map_state        TEXT    NOT NULL DEFAULT 'pending', -- pending | mapped | ignored | unmappable
    map_error        TEXT    NOT NULL DEFAULT '',
    mapped_at        TEXT,
    erased_at        TEXT                           -- set when one person's data was erased from body/payload
, purged_at TEXT) STRICT;
INSERT INTO events VALUES(1,'eaf','eaf','email_lead','eaf:77722226661727188822717',X'7b20226561665f74797065223a2022656d61696c5f6c656164222c20226561665f6964223a20223737373232323236363631373237313838383232373137222c20226964223a20223031393232726174313269323375673134353136326a3237383137323230393138222c2022656d61696c5f736f75726365223a202272696768746d6f7665222c2022656d61696c5f646174655f74696d65223a2022323032312d30392d30362030363a32383a3036222c2022636f6e746163745f6e616d65223a202245414620537570706f7274222c2022636f6e746163745f656d61696c223a2022737570706f7274406573746174656167656e7466656564732e636f6d222c2022636f6e746163745f70686f6e65223a20222b3434283029323020333837302034353530222c2022636f6e746163745f6d6573736167655f68746d6c223a20225468697320697320616e20656e7175697279206d6573736167652e222c2022636f6e746163745f6d6573736167655f666c6174223a20225468697320697320616e20656e7175697279206d6573736167652e222c20226561665f7265666572656e6365223a20223837363534333231222c20226561665f706f7274616c5f7265666572656e6365223a202238373635343332315f4541465f3637303034222c20226561665f646576656c6f706d656e745f7265666572656e6365223a206e756c6c2c20226561665f64617465223a2022323032312d30392d30365430363a32383a30362b30313a3030222c20226561665f74696d657374616d70223a2031363330393036303836207d0a',NULL,'strict','2026-12-01T23:44:55.693901Z','2026-12-01T23:44:55.693901Z',1,'127.0.0.1','mapped','','2026-12-01T23:44:55.732127Z',NULL,NULL);
INSERT INTO events VALUES(2,'eaf','eaf','feed_import','eaf.feed_import:55332867012531630906086',X'7b20226561665f74797065223a2022666565645f696d706f7274222c20226561665f666f726d6174223a2022786d6c5f6561665f73706563222c20226561665f6964223a20223535333332383637303132353331363330393036303836222c20226561665f6167656e745f6964223a20223239393132313838222c20226561665f6167656e745f6e616d65223a2022457374617465204167656e74204665656473222c20226561665f6167656e745f656d61696c223a2022737570706f7274406573746174656167656e7466656564732e636f6d222c20226561665f7265636f7264735f6d6f646966696564223a20322c20226561665f736f75726365223a202268747470733a5c2f5c2f6573746174656167656e7466656564732e636f6d5c2f646f63735c2f6561665f786d6c5f696d706f72745f73616d706c652e786d6c222c20226561665f64617465223a2022323032312d30392d30365430363a32383a30362b30313a3030222c20226561665f74696d657374616d70223a2031363330393036303836207d0a',NULL,'strict','2026-12-01T23:44:55.829746Z','2026-12-01T23:44:55.829746Z',1,'127.0.0.1','ignored','no rule for eaf feed_import','2026-12-01T23:44:55.929865Z',NULL,NULL);
INSERT INTO events VALUES(3,'eaf','eaf','portal_submission','eaf.portal_submission:99426189915163065768167003',X'7b20226561665f74797065223a2022706f7274616c5f7375626d697373696f6e222c20226561665f737461747573223a202273756363657373222c20226561665f616374696f6e223a2022757064617465222c20226561665f746172676574223a202272696768746d6f7665222c20226561665f6964223a20223939343236313839393135313633303635373638313637303033222c20226561665f64617465223a2022323032312d30392d30335432323a30363a33382b30313a3030222c20226561665f74696d657374616d70223a20313633303730333139382c20226561665f7265666572656e6365223a20223132333435363738222c20226561665f706f7274616c5f7265666572656e6365223a202231323334353637385f4541465f3637303033222c20226561665f72656d6f74655f75726c223a202268747470733a5c2f5c2f7777772e72696768746d6f76652e636f2e756b5c2f22207d0a',NULL,'strict','2026-12-01T23:44:55.985093Z','2026-12-01T23:44:55.985093Z',1,'127.0.0.1','ignored','no rule for eaf portal_submission','2026-12-01T23:44:56.005630Z',NULL,NULL);
INSERT INTO events VALUES(4,'lokalebasen','lokalebasen','enquiry_created','sha256:57c68e167b25099fa22f8f2d4eeaa3906d34a361b9aa1536d2c67bfeda41ec74',X'',NULL,'lenient','2026-12-01T23:44:56.078278Z','2026-12-01T23:44:56.078278Z',1,'127.0.0.1','mapped','','2026-12-01T23:44:56.115645Z','2026-12-01T23:45:06.667106Z',NULL);
INSERT INTO events VALUES(5,'eaf','eaf','email_lead','eaf:p9',X'7b226561665f74797065223a22656d61696c5f6c656164222c226561665f6964223a227039222c22636f6e746163745f656d61696c223a2270656e64696e672e6c656164406578616d706c652e636f6d222c22636f6e746163745f6e616d65223a2250656e64696e67204c656164222c226d657373616765223a2268656c6c6f227d',NULL,'strict','2026-12-01T23:45:08.336114Z','2026-12-01T23:45:08.336114Z',1,'127.0.0.1','mapped','','2026-12-01T23:45:08.350385Z',NULL,NULL);
CREATE TABLE quarantine (
    id                INTEGER PRIMARY KEY,
    source            TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    body              BLOB    NOT NULL,
    body_sha256       TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    received_at       TEXT    NOT NULL,
    last_delivery_at  TEXT    NOT NULL,
    deliveries        INTEGER NOT NULL DEFAULT 1,
    remote_addr       TEXT    NOT NULL DEFAULT '',
    resolved_event_id INTEGER REFERENCES events (id),
    resolved_at       TEXT
, erased_at TEXT, purged_at TEXT) STRICT;
INSERT INTO quarantine VALUES(1,'eaf','eaf',X'7b226561665f74797065223a22656d61696c5f6c656164222c226561665f6964223a227131222c22626164223a','sha256:92b4dda71ad832b874b697905a8e087713b55e7b184b457f77d713c09449d769','invalid JSON: unexpected end of JSON input','2026-12-01T23:44:56.293062Z','2026-12-01T23:44:56.293062Z',1,'127.0.0.1',NULL,NULL,NULL,NULL);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    target          TEXT    NOT NULL,              -- hubspot | pipedrive | dryrun
    kind            TEXT    NOT NULL,              -- contact | deal
    key             TEXT    NOT NULL,              -- contact identity or lead id
    contact_key     TEXT    NOT NULL DEFAULT '',   -- deals: the associated contact's key
    properties      TEXT    NOT NULL,              -- JSON object of CRM property -> string
    props_hash      TEXT    NOT NULL,              -- SHA-256 of kind, key, contact_key, properties
    mapping_file    TEXT    NOT NULL,
    mapping_hash    TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending', -- pending | done | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    lease_until     TEXT,
    last_error      TEXT    NOT NULL DEFAULT '',
    crm_id          TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    done_at         TEXT
, key_kind TEXT NOT NULL DEFAULT '', dead_cause TEXT NOT NULL DEFAULT '') STRICT;
INSERT INTO outbox VALUES(1,1,'dryrun','contact','support@estateagentfeeds.com','','{"email":"support@estateagentfeeds.com","firstname":"EAF","lastname":"Support","lifecyclestage":"lead","phone":"+442038704550"}','9cfc3a50fbd4a6d6477bedf96c82a675ed7e156ae390eccbad422a852acc1900','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','done',1,'2026-12-01T23:44:55.732127Z',NULL,'','dry-5d500c5cf5374607','2026-12-01T23:44:55.732127Z','2026-12-01T23:45:00.773209Z','2026-12-01T23:45:00.773209Z','email','');
INSERT INTO outbox VALUES(2,1,'dryrun','deal','eaf:eaf:77722226661727188822717','support@estateagentfeeds.com','{"dealname":"rightmove enquiry 87654321: EAF Support","dealstage":"appointmentscheduled","description":"This is an enquiry message.","pipeline":"default","syncd_enquiry_at":"2021-09-06T05:28:06Z","syncd_lead_id":"eaf:eaf:77722226661727188822717","syncd_portal":"rightmove","syncd_portal_reference":"87654321_EAF_67004","syncd_property_reference":"87654321","syncd_source":"eaf"}','312deebb3ad8a4eb6a713b6b3f5417d5a17a503a976ba5c7c6b314a51c10805f','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','done',1,'2026-12-01T23:44:55.732127Z',NULL,'','dry-79d05a94ffc86629','2026-12-01T23:44:55.732127Z','2026-12-01T23:45:00.779506Z','2026-12-01T23:45:00.779506Z','','');
INSERT INTO outbox VALUES(3,5,'dryrun','contact','pending.lead@example.com','','{"email":"pending.lead@example.com","firstname":"Pending","lastname":"Lead","lifecyclestage":"lead"}','9a15cb476962a425e63ee0a82eaa80be4c910647880c97690ec4d52a0e51f3ed','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','pending',0,'2026-12-01T23:45:08.350385Z',NULL,'','','2026-12-01T23:45:08.350385Z','2026-12-01T23:45:08.350385Z',NULL,'email','');
INSERT INTO outbox VALUES(4,5,'dryrun','deal','eaf:eaf:p9','pending.lead@example.com','{"dealname":"portal enquiry: Pending Lead","dealstage":"appointmentscheduled","pipeline":"default","syncd_lead_id":"eaf:eaf:p9","syncd_source":"eaf"}','20683e3583c8d53fe6109dc20c4172396e3a8ce18da2f5d4032c27a7a9c6061c','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','pending',0,'2026-12-01T23:45:08.350385Z',NULL,'','','2026-12-01T23:45:08.350385Z','2026-12-01T23:45:08.350385Z',NULL,'','');
CREATE TABLE crm_links (
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    crm_id     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target, kind, key)
) STRICT, WITHOUT ROWID;
INSERT INTO crm_links VALUES('dryrun','contact','support@estateagentfeeds.com','dry-5d500c5cf5374607','2026-12-01T23:45:00.773209Z');
INSERT INTO crm_links VALUES('dryrun','deal','eaf:eaf:77722226661727188822717','dry-79d05a94ffc86629','2026-12-01T23:45:00.779506Z');
CREATE TABLE reports (
    day           TEXT    PRIMARY KEY,             -- YYYY-MM-DD in the report time zone
    path          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    leads         INTEGER NOT NULL DEFAULT 0,
    mail_state    TEXT    NOT NULL DEFAULT 'none', -- none | pending | sent | failed
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    mail_error    TEXT    NOT NULL DEFAULT '',
    mailed_at     TEXT
) STRICT;
INSERT INTO reports VALUES('2026-12-01','/tmp/upg/data/reports/leads-2026-12-01.xlsx','2026-12-01T23:45:08.062252Z',0,'none',0,'',NULL);
CREATE TABLE state (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO state VALUES('crm_failing:dryrun','','2026-12-01T23:44:50.733254Z');
INSERT INTO state VALUES('crm_stuck:dryrun','','2026-12-01T23:44:50.732986Z');
INSERT INTO state VALUES('installed_at','2026-12-01T23:44:50.706461Z','2026-12-01T23:44:50.706461Z');
INSERT INTO state VALUES('last_sync:dryrun','2026-12-01T23:45:00.781223Z','2026-12-01T23:45:00.781287Z');
INSERT INTO state VALUES('privacy.salt','89e74dd271bc6f9a3c63b54dd9d0add1e3221c3cae61a26ea6018c9abe1fcfc9','2026-12-01T23:45:06.667106Z');
INSERT INTO state VALUES('report.alarms.2026-12-01','null','2026-12-01T23:45:08.064475Z');
INSERT INTO state VALUES('report.mail.2026-12-01','{"subject":"No leads · Tue 1 Dec","html":"\u003c!DOCTYPE html\u003e\n\u003chtml\u003e\u003chead\u003e\u003cmeta charset=\"utf-8\"\u003e\u003ctitle\u003eLeads report Tuesday 1 December 2026\u003c/title\u003e\u003c/head\u003e\n\u003cbody style=\"font-family: Calibri, Arial, sans-serif; font-size: 15px; color: #222;\"\u003e\n\u003ch2 style=\"color: #1F4E78; margin-bottom: 4px;\"\u003eLeads report · Tuesday 1 December 2026\u003c/h2\u003e\n\u003cp style=\"color: #595959; margin-top: 0;\"\u003eTimes are Europe/Copenhagen · made 2026-12-02 00:45 CET\u003c/p\u003e\n\u003cp\u003e\u003cem\u003eNothing was received on this day: no leads, no portal submissions, no feed imports.\u003c/em\u003e\u003c/p\u003e\n\u003cp\u003eThe workbook leads-2026-12-01.xlsx is attached.\u003c/p\u003e\n\u003c/body\u003e\u003c/html\u003e\n"}','2026-12-01T23:45:08.064425Z');
INSERT INTO state VALUES('report.summary.2026-12-01',replace('Leads report for Tuesday 1 December 2026 (times in Europe/Copenhagen).\n\nNothing was received on this day: no leads, no portal submissions, no feed imports.\nLeads: 0\n\nThe workbook leads-2026-12-01.xlsx is attached.\n','\n',char(10)),'2026-12-01T23:45:08.064319Z');
INSERT INTO state VALUES('seen_keys.window','1209600','2026-12-01T23:44:50.726550Z');
CREATE TABLE crm_intents (
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,              -- contact | deal
    key        TEXT NOT NULL,
    sent_at    TEXT NOT NULL,              -- syncd time format, UTC
    PRIMARY KEY (target, kind, key)
) STRICT, WITHOUT ROWID;
CREATE TABLE erasures (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    subject_hash TEXT    NOT NULL,
    events       INTEGER NOT NULL,
    quarantined  INTEGER NOT NULL,
    ops          INTEGER NOT NULL,
    links        INTEGER NOT NULL,
    crm_ops      INTEGER NOT NULL,
    intents      INTEGER NOT NULL DEFAULT 0,
    reports      INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO erasures VALUES(1,'2026-12-01T23:45:06.667106Z','c3c47691a7ac9a2a600f369f4076b5317b52bbf85507f24a729dca5d3e41a2d4',1,0,2,2,0,0,0);
CREATE TABLE seen_keys (
    hash     INTEGER PRIMARY KEY, -- first 64 bits of SHA-256(source, 0, idem_key), signed
    event_id INTEGER NOT NULL,    -- the latest event with the key
    received INTEGER NOT NULL     -- its received_at in Unix seconds, to sweep expired rows
) STRICT;
CREATE TABLE seen_keys_new (
    hash     INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL,
    received INTEGER NOT NULL
) STRICT;
CREATE INDEX events_received ON events (received_at);
CREATE INDEX events_pending ON events (id) WHERE map_state = 'pending';
CREATE INDEX quarantine_sha ON quarantine (source, body_sha256);
CREATE INDEX quarantine_received ON quarantine (received_at);
CREATE UNIQUE INDEX outbox_once ON outbox (target, kind, key, props_hash);
CREATE INDEX outbox_event ON outbox (event_id);
CREATE INDEX outbox_pending_key ON outbox (target, kind, key) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (updated_at) WHERE state = 'dead';
CREATE INDEX outbox_claim ON outbox (target, kind) WHERE state = 'pending';
COMMIT;
