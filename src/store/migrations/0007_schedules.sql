-- Quiz nights scheduled ahead as Discord events. A row's state moves on (scheduled → reminded →
-- started, or missed, or cancelled) before each step is carried out, so a restart never repeats
-- one. Plain SQL for SQLite and PostgreSQL.
CREATE TABLE scheduled_quizzes (
    id         BIGINT  NOT NULL PRIMARY KEY,
    guild_id   BIGINT  NOT NULL,
    channel_id BIGINT  NOT NULL,
    host_id    BIGINT  NOT NULL,
    starts_at  BIGINT  NOT NULL,
    -- The quiz's settings as JSON (QuizConfig).
    config     TEXT    NOT NULL,
    -- The Discord scheduled event, once created.
    event_id   BIGINT,
    state      TEXT    NOT NULL DEFAULT 'scheduled'
               CHECK (state IN ('scheduled', 'reminded', 'started', 'missed', 'cancelled')),
    created_at BIGINT  NOT NULL
);

CREATE INDEX scheduled_quizzes_open ON scheduled_quizzes (state, starts_at);
