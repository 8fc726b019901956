-- Accounts of the auth service. Usernames and e-mails are unique whatever their case: the database
-- says no to a duplicate, whichever replica asks.
CREATE TABLE accounts (
    id            UUID PRIMARY KEY,
    username      TEXT NOT NULL CHECK (char_length(username) BETWEEN 3 AND 64),
    email         TEXT NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    password_hash TEXT NOT NULL CHECK (char_length(password_hash) <= 512),
    roles         TEXT[] NOT NULL DEFAULT ARRAY['user'],
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_username_unique ON accounts (lower(username));
CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email));

-- Failed logins per account ('account:<username>') and per client address ('address:<ip>'), counted
-- in a window and shared by every replica; locked_until set once a key has failed too often.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY CHECK (char_length(key) <= 128),
    failures     INTEGER NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);
