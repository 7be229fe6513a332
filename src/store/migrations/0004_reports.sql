-- Reports of an error in an entry, sent with a card's "Report an error" button, for the person
-- who maintains the knowledge. Times are Unix milliseconds; Discord ids are stored as their
-- 64-bit pattern. What the reporter typed is kept as typed; it is escaped wherever it is shown.

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The entry's id in the knowledge base when the report was made (it may since be renamed).
    entry_id      TEXT    NOT NULL,
    reporter      INTEGER NOT NULL,
    -- The reporter's name as Discord showed it then, for the maintainer's list.
    reporter_name TEXT    NOT NULL DEFAULT '',
    -- NULL when reported outside a server.
    guild         INTEGER,
    locale        TEXT    NOT NULL CHECK (locale IN ('en', 'pl')),
    -- What is wrong (required) and, optionally, the source that says otherwise.
    text          TEXT    NOT NULL CHECK (length(text) > 0),
    source        TEXT,
    created_at    INTEGER NOT NULL,
    -- Both set once someone with Manage Server marked it resolved, or neither.
    resolved_at   INTEGER,
    resolved_by   INTEGER,
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL))
);

-- The rate limit counts a reporter's recent reports; the admin list reads a server's open ones.
CREATE INDEX reports_by_reporter ON reports (reporter, created_at);
CREATE INDEX reports_open_by_guild ON reports (guild, resolved_at, id);
