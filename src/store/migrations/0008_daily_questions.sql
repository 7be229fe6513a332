-- The daily question: each server's setting, one row per server and local day claimed before the
-- question is posted (its reveal claimed the same way, once), and one answer per player and day
-- (a changed answer replaces it until the reveal). Plain SQL for SQLite and PostgreSQL.
CREATE TABLE daily_question_settings (
    guild_id   BIGINT NOT NULL PRIMARY KEY,
    channel_id BIGINT NOT NULL,
    -- HH:MM, local to `zone`.
    time       TEXT   NOT NULL,
    zone       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE daily_questions (
    guild_id    BIGINT NOT NULL,
    -- The server's local day, YYYY-MM-DD.
    local_date  TEXT   NOT NULL,
    channel_id  BIGINT NOT NULL,
    question_key TEXT  NOT NULL,
    -- The question as JSON (quiz::Question).
    question    TEXT   NOT NULL,
    claimed_at  BIGINT NOT NULL,
    revealed_at BIGINT,
    PRIMARY KEY (guild_id, local_date)
);

CREATE TABLE daily_answers (
    guild_id    BIGINT  NOT NULL,
    local_date  TEXT    NOT NULL,
    player_id   BIGINT  NOT NULL,
    player_name TEXT    NOT NULL,
    choice      INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    answered_at BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, local_date, player_id),
    FOREIGN KEY (guild_id, local_date) REFERENCES daily_questions (guild_id, local_date)
);
