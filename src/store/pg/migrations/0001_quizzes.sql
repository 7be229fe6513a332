-- Quizzes, the questions they asked and every answer given, written as they happen: the same
-- tables and columns as the SQLite schema (src/store/migrations/0001_quizzes.sql), in PostgreSQL's
-- types. Times are Unix milliseconds; Discord ids are stored as their 64-bit pattern (BIGINT).
-- Flags stay INTEGER 0/1, as in SQLite, so both backends run the same statements.

CREATE TABLE quizzes (
    id          BIGSERIAL PRIMARY KEY,
    guild_id    BIGINT  NOT NULL,
    channel_id  BIGINT  NOT NULL,
    host_id     BIGINT  NOT NULL,
    seed        BIGINT  NOT NULL,
    config      TEXT    NOT NULL,
    questions   TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'paused', 'finished')),
    paused_at   BIGINT,
    end_reason  TEXT    CHECK (end_reason IN ('completed', 'stopped', 'interrupted')),
    started_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    ended_at    BIGINT
);

CREATE UNIQUE INDEX quizzes_one_open_per_channel ON quizzes (channel_id) WHERE ended_at IS NULL;
CREATE INDEX quizzes_by_guild ON quizzes (guild_id, started_at);

CREATE TABLE quiz_questions (
    quiz_id     BIGINT  NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    opened_at   BIGINT  NOT NULL,
    deadline    BIGINT  NOT NULL,
    revealed_at BIGINT,
    message_id  BIGINT,
    PRIMARY KEY (quiz_id, idx)
);

CREATE TABLE answers (
    id          BIGSERIAL PRIMARY KEY,
    quiz_id     BIGINT  NOT NULL,
    idx         INTEGER NOT NULL,
    player_id   BIGINT  NOT NULL,
    player_name TEXT    NOT NULL,
    given       TEXT    NOT NULL,
    elapsed_ms  BIGINT  NOT NULL,
    at          BIGINT  NOT NULL,
    changed     INTEGER NOT NULL CHECK (changed IN (0, 1)),
    verdict     TEXT    NOT NULL CHECK (verdict IN ('right', 'close', 'wrong')),
    points      INTEGER NOT NULL,
    current     INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
    FOREIGN KEY (quiz_id, idx) REFERENCES quiz_questions (quiz_id, idx) ON DELETE CASCADE
);

CREATE INDEX answers_current ON answers (quiz_id, idx, player_id) WHERE current = 1;
CREATE INDEX answers_by_player ON answers (player_id, at);
