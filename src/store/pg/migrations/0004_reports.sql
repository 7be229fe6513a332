-- Reports of an error in an entry (src/store/migrations/0004_reports.sql).

CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    entry_id      TEXT   NOT NULL,
    reporter      BIGINT NOT NULL,
    reporter_name TEXT   NOT NULL DEFAULT '',
    guild         BIGINT,
    locale        TEXT   NOT NULL CHECK (locale IN ('en', 'pl')),
    text          TEXT   NOT NULL CHECK (length(text) > 0),
    source        TEXT,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT,
    resolved_by   BIGINT,
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);

CREATE INDEX reports_by_reporter ON reports (reporter, created_at);
CREATE INDEX reports_open_by_guild ON reports (guild, resolved_at, id);
