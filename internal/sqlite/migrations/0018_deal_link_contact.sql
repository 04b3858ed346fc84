-- 0018: a deal's CRM link names the contact it was made for.
--
-- syncd knew a deal as a person's by the deal operation of one of their
-- leads; the retention deletes operations retention.outbox_days after
-- they are done, and HubSpot's API as syncd uses it reads no contact's
-- deals, so `syncd erase -crm` of a person whose first leads were older
-- deleted their contact and left those leads' deals, which hold their
-- name and message. The link of each deal now keeps the key of its
-- contact (the person's email or phone key, as the contact's own link
-- keeps it, for as long: retention.link_days), and erase finds the deals
-- by it. Links of deals whose operation is still held get the key from it;
-- the others, of operations already deleted, are left without: the state
-- row deal_links_unkeyed, when there are any, holds when this ran, by
-- which erase and export say that a contact linked before then, less
-- retention.outbox_days, may hold deals syncd no longer knows.
ALTER TABLE crm_links ADD COLUMN contact_key TEXT NOT NULL DEFAULT '';
UPDATE crm_links SET contact_key = coalesce((SELECT o.contact_key FROM outbox o
    WHERE o.target = crm_links.target AND o.kind = 'deal' AND o.key = crm_links.key AND o.contact_key <> ''
    ORDER BY o.id DESC LIMIT 1), '')
WHERE kind = 'deal';
CREATE INDEX crm_links_contact ON crm_links (contact_key) WHERE contact_key <> '';
INSERT INTO state (name, value, updated_at)
    SELECT 'deal_links_unkeyed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE EXISTS (SELECT 1 FROM crm_links WHERE kind = 'deal' AND contact_key = '');
