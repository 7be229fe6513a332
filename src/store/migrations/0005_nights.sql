-- Quiz nights: who joined which team and when, the teams' names as renamed, the hints taken, and
-- the lobby and intermissions, so a restart resumes an evening where it was.
-- Plain SQL that runs on SQLite and PostgreSQL alike. Times are Unix milliseconds.

-- Every press of a Join button. A player's team for a question is their last join before its
-- reveal, so switching or joining late never rewrites an earlier question.
CREATE TABLE quiz_team_joins (
    quiz_id     BIGINT  NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    player_id   BIGINT  NOT NULL,
    player_name TEXT    NOT NULL,
    team        INTEGER NOT NULL CHECK (team >= 0),
    joined_at   BIGINT  NOT NULL,
    PRIMARY KEY (quiz_id, player_id, joined_at)
);

-- A team's name, once the host renamed it (the generated names are in the quiz's config).
CREATE TABLE quiz_team_names (
    quiz_id BIGINT  NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    team    INTEGER NOT NULL CHECK (team >= 0),
    name    TEXT    NOT NULL,
    PRIMARY KEY (quiz_id, team)
);

-- One row per hint taken: it halves the points of the player's answers to that question after it.
CREATE TABLE quiz_hints (
    quiz_id   BIGINT  NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    player_id BIGINT  NOT NULL,
    taken_at  BIGINT  NOT NULL,
    PRIMARY KEY (quiz_id, idx, player_id)
);

-- The lobby (round 0) and each intermission (after round `round`, 0-based): when it began and
-- when it ends unless the host goes on first.
CREATE TABLE quiz_breaks (
    quiz_id  BIGINT  NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('lobby', 'intermission')),
    round    INTEGER NOT NULL,
    began_at BIGINT  NOT NULL,
    ends_at  BIGINT  NOT NULL,
    PRIMARY KEY (quiz_id, kind, round)
);
