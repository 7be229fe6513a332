-- Seasons: a server's leaderboard counts from the start of its current season; the answers of
-- past seasons stay, and any season can be shown by name. Plain SQL for SQLite and PostgreSQL.
CREATE TABLE seasons (
    guild_id   BIGINT  NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    name       TEXT    NOT NULL,
    started_at BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, number)
);

CREATE UNIQUE INDEX seasons_by_name ON seasons (guild_id, name);
