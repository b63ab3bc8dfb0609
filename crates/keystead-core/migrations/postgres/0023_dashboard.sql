-- Issue 17: the admin console's dashboard counts accounts created in the last 24 hours and
-- 7 days; without this index each count reads the whole users table. (Its sign-in figures
-- count audit events by action and time, which audit_events_action, from 0014, serves.)
CREATE INDEX users_created ON users (created_at);
