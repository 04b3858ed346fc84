PRAGMA user_version = 10;
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
INSERT INTO events VALUES(1,'eaf','eaf','email_lead','eaf:77722226661727188822717',X'7b20226561665f74797065223a2022656d61696c5f6c656164222c20226561665f6964223a20223737373232323236363631373237313838383232373137222c20226964223a20223031393232726174313269323375673134353136326a3237383137323230393138222c2022656d61696c5f736f75726365223a202272696768746d6f7665222c2022656d61696c5f646174655f74696d65223a2022323032312d30392d30362030363a32383a3036222c2022636f6e746163745f6e616d65223a202245414620537570706f7274222c2022636f6e746163745f656d61696c223a2022737570706f7274406573746174656167656e7466656564732e636f6d222c2022636f6e746163745f70686f6e65223a20222b3434283029323020333837302034353530222c2022636f6e746163745f6d6573736167655f68746d6c223a20225468697320697320616e20656e7175697279206d6573736167652e222c2022636f6e746163745f6d6573736167655f666c6174223a20225468697320697320616e20656e7175697279206d6573736167652e222c20226561665f7265666572656e6365223a20223837363534333231222c20226561665f706f7274616c5f7265666572656e6365223a202238373635343332315f4541465f3637303034222c20226561665f646576656c6f706d656e745f7265666572656e6365223a206e756c6c2c20226561665f64617465223a2022323032312d30392d30365430363a32383a30362b30313a3030222c20226561665f74696d657374616d70223a2031363330393036303836207d0a',NULL,'strict','2026-12-02T08:09:25.447946Z','2026-12-02T08:09:25.447946Z',1,'127.0.0.1','mapped','','2026-12-02T08:09:25.468941Z',NULL,NULL);
INSERT INTO events VALUES(2,'eaf','eaf','feed_import','eaf.feed_import:55332867012531630906086',X'7b20226561665f74797065223a2022666565645f696d706f7274222c20226561665f666f726d6174223a2022786d6c5f6561665f73706563222c20226561665f6964223a20223535333332383637303132353331363330393036303836222c20226561665f6167656e745f6964223a20223239393132313838222c20226561665f6167656e745f6e616d65223a2022457374617465204167656e74204665656473222c20226561665f6167656e745f656d61696c223a2022737570706f7274406573746174656167656e7466656564732e636f6d222c20226561665f7265636f7264735f6d6f646966696564223a20322c20226561665f736f75726365223a202268747470733a5c2f5c2f6573746174656167656e7466656564732e636f6d5c2f646f63735c2f6561665f786d6c5f696d706f72745f73616d706c652e786d6c222c20226561665f64617465223a2022323032312d30392d30365430363a32383a30362b30313a3030222c20226561665f74696d657374616d70223a2031363330393036303836207d0a',NULL,'strict','2026-12-02T08:09:25.577363Z','2026-12-02T08:09:25.577363Z',1,'127.0.0.1','ignored','no rule for eaf feed_import','2026-12-02T08:09:25.589177Z',NULL,NULL);
INSERT INTO events VALUES(3,'lokalebasen','lokalebasen','enquiry_created','sha256:57c68e167b25099fa22f8f2d4eeaa3906d34a361b9aa1536d2c67bfeda41ec74',X'7b0a226576656e745f74797065223a2022656e71756972795f63726561746564222c0a227061796c6f6164223a207b0a227265717565737465645f6c6f636174696f6e223a207b0a2268726566223a202268747470733a2f2f7777772e6c6f6b616c65626173656e2e646b2f6c656a652f6b6f6e746f726c6f6b616c65722f323130302d6b6f62656e6861766e2d6f2f64616d7066616572676576656a2d3130353539220a7d2c0a226c6f636174696f6e223a207b0a226964223a20223230303634222c0a2265787465726e616c5f6b6579223a2022454a2d3539333931354756222c0a2268726566223a202268747470733a2f2f7777772e6c6f6b616c65626173656e2e646b2f6c656a652f6b6f6e746f726c6f6b616c65722f323130302d6b6f62656e6861766e2d6f2f616562656c6f676164652d3230303634220a7d2c0a22656e7175697279223a207b0a2274797065223a20226578747261222c0a7d2c0a22636c69656e74223a207b0a22656d61696c223a2022616e67656c613739313340686f746d61696c2e636f6d222c0a226e616d65223a2022416e67656c612042616b6572222c0a22636f6d70616e79223a202242616b65727320496e632e222c0a2270686f6e65223a20223532203235203035203539222c0a7d2c0a22636f6d6d656e74223a20224920776f756c64206c696b6520736f6d657468696e6720776974682061206772616e642076696577206f7665722074686520636974792e220a7d0a7d0a','{"event_type":"enquiry_created","payload":{"requested_location":{"href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559"},"location":{"id":"20064","external_key":"EJ-593915GV","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064"},"enquiry":{"type":"extra"},"client":{"email":"angela7913@hotmail.com","name":"Angela Baker","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city."}}','lenient','2026-12-02T08:09:25.709982Z','2026-12-02T08:09:25.709982Z',1,'127.0.0.1','mapped','','2026-12-02T08:09:25.795241Z',NULL,NULL);
INSERT INTO events VALUES(4,'eaf','eaf','email_lead','eaf:v10-unmappable-1',X'7b226561665f74797065223a22656d61696c5f6c656164222c226561665f6964223a227631302d756e6d61707061626c652d31222c22636f6e746163745f656d61696c223a226e6f7420616e2061646472657373227d',NULL,'strict','2026-12-02T08:09:25.900449Z','2026-12-02T08:09:25.900449Z',1,'127.0.0.1','unmappable','rule "eaf-email-lead": contact has no valid email ("not an address" is not one) and no phone','2026-12-02T08:09:25.904129Z',NULL,NULL);
INSERT INTO events VALUES(5,'eaf','eaf','email_lead','eaf:v10-unmappable-2',X'7b226561665f74797065223a22656d61696c5f6c656164222c226561665f6964223a227631302d756e6d61707061626c652d32222c22636f6e746163745f656d61696c223a226e6f7420616e2061646472657373227d',NULL,'strict','2026-12-02T08:09:25.963050Z','2026-12-02T08:09:25.963050Z',1,'127.0.0.1','unmappable','rule "eaf-email-lead": contact has no valid email ("not an address" is not one) and no phone','2026-12-02T08:09:25.969618Z',NULL,NULL);
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
INSERT INTO outbox VALUES(1,1,'dryrun','contact','support@estateagentfeeds.com','','{"email":"support@estateagentfeeds.com","firstname":"EAF","lastname":"Support","lifecyclestage":"lead","phone":"+442038704550"}','9cfc3a50fbd4a6d6477bedf96c82a675ed7e156ae390eccbad422a852acc1900','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','pending',0,'2026-12-02T08:09:25.468941Z',NULL,'','','2026-12-02T08:09:25.468941Z','2026-12-02T08:09:25.468941Z',NULL,'email','');
INSERT INTO outbox VALUES(2,1,'dryrun','deal','eaf:eaf:77722226661727188822717','support@estateagentfeeds.com','{"dealname":"rightmove enquiry 87654321: EAF Support","dealstage":"appointmentscheduled","description":"This is an enquiry message.","pipeline":"default","syncd_enquiry_at":"2021-09-06T05:28:06Z","syncd_lead_id":"eaf:eaf:77722226661727188822717","syncd_portal":"rightmove","syncd_portal_reference":"87654321_EAF_67004","syncd_property_reference":"87654321","syncd_source":"eaf"}','312deebb3ad8a4eb6a713b6b3f5417d5a17a503a976ba5c7c6b314a51c10805f','hubspot/eaf.yaml','3accd7ba8df66b02e5b15502b5de81a15ea51c1e799141e0ca0412eca5831317','pending',0,'2026-12-02T08:09:25.468941Z',NULL,'','','2026-12-02T08:09:25.468941Z','2026-12-02T08:09:25.468941Z',NULL,'','');
INSERT INTO outbox VALUES(3,3,'dryrun','contact','angela7913@hotmail.com','','{"company":"Bakers Inc.","email":"angela7913@hotmail.com","firstname":"Angela","lastname":"Baker","lifecyclestage":"lead","phone":"+4552250559"}','fea06a940b44e92e79b0401d9029eed57e67a02ca34efd2cd805795901b1c51d','hubspot/lokalebasen.yaml','36e9fe29228b1e748f471a6b16f1663bbccb881539150ab64e8acf9e3b3778fd','pending',0,'2026-12-02T08:09:25.795241Z',NULL,'','','2026-12-02T08:09:25.795241Z','2026-12-02T08:09:25.795241Z',NULL,'email','');
INSERT INTO outbox VALUES(4,3,'dryrun','deal','lokalebasen:sha256:57c68e167b25099fa22f8f2d4eeaa3906d34a361b9aa1536d2c67bfeda41ec74','angela7913@hotmail.com','{"dealname":"Lokalebasen EJ-593915GV: Angela Baker","dealstage":"appointmentscheduled","description":"I would like something with a grand view over the city.","pipeline":"default","syncd_enquiry_type":"extra","syncd_lead_id":"lokalebasen:sha256:57c68e167b25099fa22f8f2d4eeaa3906d34a361b9aa1536d2c67bfeda41ec74","syncd_location_external_key":"EJ-593915GV","syncd_location_id":"20064","syncd_location_url":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-20064","syncd_requested_location_url":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559","syncd_source":"lokalebasen"}','977d6505ab48090671409ea1deb8a545835c0492e0fc871f376825b1b3ce7787','hubspot/lokalebasen.yaml','36e9fe29228b1e748f471a6b16f1663bbccb881539150ab64e8acf9e3b3778fd','pending',0,'2026-12-02T08:09:25.795241Z',NULL,'','','2026-12-02T08:09:25.795241Z','2026-12-02T08:09:25.795241Z',NULL,'','');
CREATE TABLE crm_links (
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    crm_id     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target, kind, key)
) STRICT, WITHOUT ROWID;
CREATE TABLE reports (
    day           TEXT    PRIMARY KEY,             -- YYYY-MM-DD in the report time zone
    path          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    leads         INTEGER NOT NULL DEFAULT 0,
    mail_state    TEXT    NOT NULL DEFAULT 'none', -- none | pending | sent | failed
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    mail_error    TEXT    NOT NULL DEFAULT '',
    mailed_at     TEXT
, partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1))) STRICT;
CREATE TABLE state (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO state VALUES('crm_stuck:dryrun','','2026-12-02T08:09:22.676710Z');
INSERT INTO state VALUES('installed_at','2026-12-02T08:09:22.662571Z','2026-12-02T08:09:22.662571Z');
INSERT INTO state VALUES('intake_runs','[{"from":"2026-12-02T08:09:22.674806884Z","to":"2026-12-02T08:09:30.432257515Z"}]','2026-12-02T08:09:30.432747Z');
INSERT INTO state VALUES('last_sync:dryrun','2026-12-02T08:09:22.686882Z','2026-12-02T08:09:22.686883Z');
INSERT INTO state VALUES('seen_keys.window','1209600','2026-12-02T08:09:22.675973Z');
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
