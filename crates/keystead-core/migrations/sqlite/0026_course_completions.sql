-- Issue 18: courses a user completed, pushed by a learning system through the admin API or the
-- CLI and shown in My Account → Completed courses. One row per user and course: pushing the same
-- course again replaces what is known of it (idempotent). score is a percentage (0–100).
CREATE TABLE course_completions (
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    title TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    score REAL,
    certificate_url TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id)
);
-- My Account lists a user's completions newest first.
CREATE INDEX course_completions_user_completed ON course_completions (user_id, completed_at);
