-- a migration that takes a moment, so that replicas starting together really overlap
SELECT pg_sleep(0.5);
ALTER TABLE items ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();
