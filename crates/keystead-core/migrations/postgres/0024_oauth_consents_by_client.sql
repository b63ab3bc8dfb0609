-- Issue 17: the admin console lists the consents given to one OAuth client (newest first) and
-- counts them; deleting a client also removes its consents. The primary key (user_id, client_id)
-- serves a user's list only, so without this index both would read every consent.
CREATE INDEX oauth_consents_client ON oauth_consents (client_id, granted_at);
