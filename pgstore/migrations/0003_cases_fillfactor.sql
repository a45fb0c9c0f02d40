-- A case's row is rewritten by every result applied to it (status, result
-- in force, data) and by every assignment, and none of those writes
-- changes an indexed column. Leaving a quarter of each page free lets
-- PostgreSQL write the new version beside the old one without touching
-- the indexes (a HOT update). Under a province's load this cut the
-- database's work per result by about a sixth (README, province
-- deployment). Pages written before this migration get the space when
-- they are rewritten; VACUUM FULL hecha_cases gives it to all at once.
ALTER TABLE hecha_cases SET (fillfactor = 75);
