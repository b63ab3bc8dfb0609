-- Issue 16: an organization's accent colour (#rrggbb), shown on its members' pages, its sign-in
-- pages once it is known, and its emails; NULL keeps the deployment's colour.
ALTER TABLE organizations ADD COLUMN brand_color TEXT;
