-- Refresh tokens: '<id>.<secret>' given to the client once; only the SHA-256 of the secret is kept.
-- Each use replaces the token (replaced_by); presenting a replaced one again revokes the whole family.
CREATE TABLE refresh_tokens (
    id          UUID PRIMARY KEY,
    account_id  UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    family_id   UUID NOT NULL,
    secret_hash BYTEA NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    replaced_by UUID
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
