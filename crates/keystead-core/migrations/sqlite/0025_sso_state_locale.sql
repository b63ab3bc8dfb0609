-- Issue 16: an account made just in time by single sign-on or a social login keeps the language
-- the person started in, as one registered with a password does (users.locale), so its emails
-- are written in it. The flow's state row carries it from the start to the provider's answer.
ALTER TABLE sso_states ADD COLUMN locale TEXT;
