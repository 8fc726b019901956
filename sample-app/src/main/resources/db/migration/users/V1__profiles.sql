-- Profiles of the users service; a profile's id is its account's id (the token's sub).
CREATE TABLE profiles (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    email      TEXT NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX profiles_email_unique ON profiles (lower(email));
