-- Per-server settings, and the claims that make the daily post happen once per server per day.
-- Times are Unix milliseconds; Discord ids are stored as their 64-bit pattern.

CREATE TABLE guild_settings (
    guild_id        INTEGER PRIMARY KEY,
    -- Members with this role may run quizzes (besides those with Manage Server).
    quizmaster_role INTEGER,
    -- The server's language for what Clio posts unasked (the daily post): 'en' or 'pl'.
    locale          TEXT    CHECK (locale IN ('en', 'pl')),
    -- The daily "on this day" post: all three set, or none.
    daily_channel   INTEGER,
    -- Local time of day, HH:MM.
    daily_time      TEXT,
    -- IANA time zone name, e.g. Europe/Warsaw.
    daily_zone      TEXT,
    updated_at      INTEGER NOT NULL,
    CHECK ((daily_channel IS NULL) = (daily_time IS NULL)
       AND (daily_time IS NULL) = (daily_zone IS NULL))
);

-- One row per server per local day, written BEFORE the post is sent: a second claim for the same
-- day fails, so neither a restart nor a crash mid-post can ever post twice.
CREATE TABLE daily_posts (
    guild_id    INTEGER NOT NULL,
    -- The server's local date, YYYY-MM-DD.
    local_date  TEXT    NOT NULL,
    channel_id  INTEGER NOT NULL,
    claimed_at  INTEGER NOT NULL,
    -- Set once Discord accepted the message; NULL after a failed or interrupted post.
    posted_at   INTEGER,
    PRIMARY KEY (guild_id, local_date)
);
