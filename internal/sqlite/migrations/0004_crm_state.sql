-- 0004: CRM state in fields rather than in strings.
--
-- outbox.key_kind says what a contact's key is (email | phone), set by the
-- mapper; it was guessed from '@' and '+' in the key. Existing contact rows
-- take it from their own properties, which the key was made from.
ALTER TABLE outbox ADD COLUMN key_kind TEXT NOT NULL DEFAULT '';
UPDATE outbox SET key_kind = CASE
        WHEN json_extract(properties, '$.email') = key THEN 'email'
        WHEN json_extract(properties, '$.phone') = key THEN 'phone'
        ELSE '' END
    WHERE kind = 'contact';

-- outbox.dead_cause says why a dead letter died when syncd itself decided
-- it: 'no_contact' for a deal whose contact operation is dead (retrying the
-- contact revives it). It was matched with LIKE on last_error.
ALTER TABLE outbox ADD COLUMN dead_cause TEXT NOT NULL DEFAULT '';
UPDATE outbox SET dead_cause = 'no_contact'
    WHERE state = 'dead' AND kind = 'deal' AND substr(last_error, 1, 18) = 'contact not in CRM';

-- crm_intents: when a create without a natural unique key was last sent
-- (crm.Guard), apart from crm_links, which now holds CRM ids only. They
-- were kept in crm_links as timestamps under a kind '<kind>_intent'.
CREATE TABLE crm_intents (
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,              -- contact | deal
    key        TEXT NOT NULL,
    sent_at    TEXT NOT NULL,              -- syncd time format, UTC
    PRIMARY KEY (target, kind, key)
) STRICT, WITHOUT ROWID;
INSERT INTO crm_intents (target, kind, key, sent_at)
    SELECT target, substr(kind, 1, length(kind) - 7), key,
           strftime('%Y-%m-%dT%H:%M:%f000Z', crm_id)
    FROM crm_links
    WHERE kind IN ('contact_intent', 'deal_intent') AND crm_id <> ''
      AND strftime('%Y-%m-%dT%H:%M:%f000Z', crm_id) IS NOT NULL;
DELETE FROM crm_links WHERE kind IN ('contact_intent', 'deal_intent') OR crm_id = '';
