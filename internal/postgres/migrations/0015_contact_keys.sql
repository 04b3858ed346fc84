-- 0015: contacts keyed by their email as the mapper keys it today.
--
-- An older syncd stored a contact's key as the sender wrote the email,
-- marks and all: "mailto:jane@x.dk", a soft hyphen, a zero-width space
-- or a directional mark in it, letters decomposed (NFD), the domain's
-- other IDNA form or a trailing dot. The same person's next lead is keyed
-- without them, and missed the link (a second Pipedrive person). The keys
-- of crm_links, crm_intents and the outbox are rewritten after this file,
-- in its transaction, by the mapper's normalisation (contactKeysVersion in
-- postgres.go, storesql.RekeyContacts), which SQL cannot express. The
-- comments say the keys' form in the schema; as every migration, this one
-- is the tables' owner's to run.
COMMENT ON COLUMN crm_links.key IS
    'contact: the email as the mapper keys it (mapping.EmailKey: ASCII domain for hubspot, Unicode for pipedrive), else the phone (E.164); deal: the lead id';
COMMENT ON COLUMN crm_intents.key IS 'as crm_links.key';
