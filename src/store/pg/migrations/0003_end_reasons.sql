-- Two more ways a quiz ends: 'idle' and 'failed' (src/store/migrations/0003_end_reasons.sql).
-- PostgreSQL changes the constraint in place; SQLite had to rebuild the table.

ALTER TABLE quizzes DROP CONSTRAINT quizzes_end_reason_check;
ALTER TABLE quizzes ADD CONSTRAINT quizzes_end_reason_check
    CHECK (end_reason IN ('completed', 'stopped', 'interrupted', 'idle', 'failed'));
