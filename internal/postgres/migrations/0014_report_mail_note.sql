-- 0014: how a report's mail stood, in fields (the SQLite store's 0015).
--
-- Whom the server refused a sent mail for, whether a pending mail waits
-- for a server that did not take it, and why a mail went without its
-- workbook were written into mail_error and read back from its text.
-- They are columns now; mail_error is kept for display alone. Rows written
-- before are converted here, once, from the text as the old code wrote it:
--   "refused for N recipient(s): WHO" (or, older still, "...: sent to S of
--   T recipients: ..."), then maybe "\nsent without the workbook: WHY";
--   "the mail server did not take it in N attempt(s): ..." (pending).
ALTER TABLE reports ADD COLUMN mail_refused integer NOT NULL DEFAULT 0,
  ADD COLUMN mail_refused_who text NOT NULL DEFAULT '',
  ADD COLUMN mail_held boolean NOT NULL DEFAULT false,
  ADD COLUMN mail_unattached text NOT NULL DEFAULT '';

UPDATE reports SET mail_unattached = CASE
    WHEN starts_with(mail_error, 'sent without the workbook: ') THEN substr(mail_error, 28)
    ELSE substr(mail_error, strpos(mail_error, E'\nsent without the workbook: ') + 28) END
WHERE mail_state = 'sent' AND (starts_with(mail_error, 'sent without the workbook: ')
    OR strpos(mail_error, E'\nsent without the workbook: ') > 0);

WITH first AS (
  SELECT day, CASE WHEN strpos(mail_error, E'\nsent without the workbook: ') > 0
      THEN substr(mail_error, 1, strpos(mail_error, E'\nsent without the workbook: ') - 1)
      ELSE mail_error END AS line
  FROM reports WHERE mail_state = 'sent' AND mail_error <> ''
    AND NOT starts_with(mail_error, 'sent without the workbook: ')
), parts AS (
  SELECT day, line,
    COALESCE(substring(line FROM '^refused for ([0-9]{1,9}) recipient\(s\): ')::integer, 0) AS n,
    substring(line FROM ': sent to ([0-9]{1,9}) of [0-9]') AS sent,
    substring(line FROM ': sent to [0-9]{1,9} of ([0-9]{1,9})') AS total
  FROM first
), read AS (
  SELECT day,
    CASE WHEN n > 0 THEN n
      WHEN total::integer > sent::integer THEN total::integer - sent::integer
      ELSE 1 END AS n,
    CASE WHEN n > 0 THEN substr(line, strpos(line, ' recipient(s): ') + 15) ELSE line END AS who
  FROM parts
)
UPDATE reports SET mail_refused = read.n, mail_refused_who = read.who FROM read WHERE read.day = reports.day;

UPDATE reports SET mail_held = true
WHERE mail_state = 'pending' AND COALESCE(substring(mail_error FROM
    '^the mail server did not take it in ([0-9]{1,9}) attempt\(s\): ')::integer, 0) > 0;
