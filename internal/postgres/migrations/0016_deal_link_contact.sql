-- 0016: a deal's CRM link names the contact it was made for (SQLite's
-- 0018 says why): erase finds a person's deals by it once the retention
-- has deleted their operations. Links of deals whose operation is held
-- get the key from it; the others are left without, and the state row
-- deal_links_unkeyed, when there are any, holds when this ran.
ALTER TABLE crm_links ADD COLUMN contact_key text NOT NULL DEFAULT '';
UPDATE crm_links l SET contact_key = coalesce((SELECT o.contact_key FROM outbox o
    WHERE o.target = l.target AND o.kind = 'deal' AND o.key = l.key AND o.contact_key <> ''
    ORDER BY o.id DESC LIMIT 1), '')
WHERE l.kind = 'deal';
CREATE INDEX crm_links_contact ON crm_links (contact_key) WHERE contact_key <> '';
INSERT INTO state (name, value, updated_at)
    SELECT 'deal_links_unkeyed', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), now()
    WHERE EXISTS (SELECT 1 FROM crm_links WHERE kind = 'deal' AND contact_key = '');
