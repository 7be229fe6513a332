-- Quizzes, the questions they asked and every answer given, written as they happen.
-- Times are Unix milliseconds; Discord ids are stored as their 64-bit pattern.

CREATE TABLE quizzes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    host_id     INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    -- How the quiz is played, as JSON (QuizConfig).
    config      TEXT    NOT NULL,
    -- Every question of the quiz, as JSON: a restart resumes with exactly these.
    questions   TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'paused', 'finished')),
    paused_at   INTEGER,
    end_reason  TEXT    CHECK (end_reason IN ('completed', 'stopped', 'interrupted')),
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ended_at    INTEGER
);

-- One quiz per channel at a time.
CREATE UNIQUE INDEX quizzes_one_open_per_channel ON quizzes (channel_id) WHERE ended_at IS NULL;
CREATE INDEX quizzes_by_guild ON quizzes (guild_id, started_at);

CREATE TABLE quiz_questions (
    quiz_id     INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    -- The question's stable key, so later quizzes can avoid recent questions.
    key         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    revealed_at INTEGER,
    -- The channel message showing the question, so it can be edited after a restart.
    message_id  INTEGER,
    PRIMARY KEY (quiz_id, idx)
);

-- Every press: the first answer and each change. `current` marks the one that counts.
CREATE TABLE answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id     INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    player_id   INTEGER NOT NULL,
    player_name TEXT    NOT NULL,
    -- What was given, as JSON (Given).
    given       TEXT    NOT NULL,
    elapsed_ms  INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    changed     INTEGER NOT NULL CHECK (changed IN (0, 1)),
    verdict     TEXT    NOT NULL CHECK (verdict IN ('right', 'close', 'wrong')),
    points      INTEGER NOT NULL,
    current     INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
    FOREIGN KEY (quiz_id, idx) REFERENCES quiz_questions (quiz_id, idx) ON DELETE CASCADE
);

CREATE INDEX answers_current ON answers (quiz_id, idx, player_id) WHERE current = 1;
CREATE INDEX answers_by_player ON answers (player_id, at);
