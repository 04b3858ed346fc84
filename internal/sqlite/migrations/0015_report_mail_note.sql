-- 0015: how a report's mail stood, in fields.
--
-- Whom the server refused a sent mail for, whether a pending mail waits
-- for a server that did not take it, and why a mail went without its
-- workbook were written into mail_error and read back from its text.
-- They are columns now; mail_error is kept for display alone. Rows written
-- before are converted here, once, from the text as the old code wrote it:
--   "refused for N recipient(s): WHO" (or, older still, "...: sent to S of
--   T recipients: ..."), then maybe "\nsent without the workbook: WHY";
--   "the mail server did not take it in N attempt(s): ..." (pending).
ALTER TABLE reports ADD COLUMN mail_refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN mail_refused_who TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN mail_held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN mail_unattached TEXT NOT NULL DEFAULT '';

UPDATE reports SET mail_unattached = CASE
    WHEN substr(mail_error, 1, 27) = 'sent without the workbook: ' THEN substr(mail_error, 28)
    ELSE substr(mail_error, instr(mail_error, char(10) || 'sent without the workbook: ') + 28) END
WHERE mail_state = 'sent' AND (substr(mail_error, 1, 27) = 'sent without the workbook: '
    OR instr(mail_error, char(10) || 'sent without the workbook: ') > 0);

WITH first (day, line) AS (
  SELECT day, CASE WHEN instr(mail_error, char(10) || 'sent without the workbook: ') > 0
      THEN substr(mail_error, 1, instr(mail_error, char(10) || 'sent without the workbook: ') - 1)
      ELSE mail_error END
  FROM reports WHERE mail_state = 'sent' AND mail_error <> ''
    AND substr(mail_error, 1, 27) <> 'sent without the workbook: '
), read (day, n, who) AS (
  SELECT day,
    CASE WHEN substr(line, 1, 12) = 'refused for ' AND CAST(substr(line, 13) AS INTEGER) > 0
        THEN CAST(substr(line, 13) AS INTEGER)
      WHEN instr(line, ': sent to ') > 0
        AND CAST(substr(line, instr(line, ': sent to ') + 10) AS INTEGER) <
          CAST(substr(substr(line, instr(line, ': sent to ') + 10),
            instr(substr(line, instr(line, ': sent to ') + 10), ' of ') + 4) AS INTEGER)
        THEN CAST(substr(substr(line, instr(line, ': sent to ') + 10),
            instr(substr(line, instr(line, ': sent to ') + 10), ' of ') + 4) AS INTEGER)
          - CAST(substr(line, instr(line, ': sent to ') + 10) AS INTEGER)
      ELSE 1 END,
    CASE WHEN substr(line, 1, 12) = 'refused for ' AND CAST(substr(line, 13) AS INTEGER) > 0
        AND instr(line, ' recipient(s): ') > 0
        THEN substr(line, instr(line, ' recipient(s): ') + 15)
      ELSE line END
  FROM first
)
UPDATE reports SET mail_refused = (SELECT n FROM read WHERE read.day = reports.day),
  mail_refused_who = (SELECT who FROM read WHERE read.day = reports.day)
WHERE day IN (SELECT day FROM read);

UPDATE reports SET mail_held = 1
WHERE mail_state = 'pending' AND substr(mail_error, 1, 35) = 'the mail server did not take it in '
  AND CAST(substr(mail_error, 36) AS INTEGER) > 0;
