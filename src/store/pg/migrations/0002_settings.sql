-- Per-server settings, and the claims that make the daily post happen once per server per day
-- (the primary key is the claim: across processes, a second INSERT for the same day conflicts).
-- The same tables as src/store/migrations/0002_settings.sql.

CREATE TABLE guild_settings (
    guild_id        BIGINT PRIMARY KEY,
    quizmaster_role BIGINT,
    locale          TEXT   CHECK (locale IN ('en', 'pl')),
    daily_channel   BIGINT,
    daily_time      TEXT,
    daily_zone      TEXT,
    updated_at      BIGINT NOT NULL,
    CHECK ((daily_channel IS NULL) = (daily_time IS NULL)
       AND (daily_time IS NULL) = (daily_zone IS NULL))
);

CREATE TABLE daily_posts (
    guild_id    BIGINT NOT NULL,
    local_date  TEXT   NOT NULL,
    channel_id  BIGINT NOT NULL,
    claimed_at  BIGINT NOT NULL,
    posted_at   BIGINT,
    PRIMARY KEY (guild_id, local_date)
);
