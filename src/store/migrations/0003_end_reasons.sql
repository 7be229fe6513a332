-- Two more ways a quiz ends: 'idle' (left waiting on someone past the idle limit) and 'failed'
-- (its runner failed). SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- as SQLite's documentation describes (foreign keys are off while migrations run).

CREATE TABLE quizzes_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    host_id     INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    config      TEXT    NOT NULL,
    questions   TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'paused', 'finished')),
    paused_at   INTEGER,
    end_reason  TEXT    CHECK (end_reason IN ('completed', 'stopped', 'interrupted', 'idle', 'failed')),
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ended_at    INTEGER
);

INSERT INTO quizzes_new (id, guild_id, channel_id, host_id, seed, config, questions, state,
                         paused_at, end_reason, started_at, updated_at, ended_at)
    SELECT id, guild_id, channel_id, host_id, seed, config, questions, state,
           paused_at, end_reason, started_at, updated_at, ended_at
    FROM quizzes;

DROP TABLE quizzes;
ALTER TABLE quizzes_new RENAME TO quizzes;

CREATE UNIQUE INDEX quizzes_one_open_per_channel ON quizzes (channel_id) WHERE ended_at IS NULL;
CREATE INDEX quizzes_by_guild ON quizzes (guild_id, started_at);
