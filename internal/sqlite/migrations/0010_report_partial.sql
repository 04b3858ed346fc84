-- 0010: whether a report was made before its day was over.
--
-- A report made by hand of a day not over yet (syncd report -date TODAY)
-- is a look at part of it: the day's scheduled run makes the whole day
-- again. It was taken for the last report all the same, by syncd status
-- and syncd_last_report_timestamp_seconds, which then held off the alert on
-- no report for 26 hours while the day before's report may never have been
-- made. Rows recorded before this column are counted whole, as they were:
-- a partial one among them is made again by its day's run anyway.
ALTER TABLE reports ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1));
