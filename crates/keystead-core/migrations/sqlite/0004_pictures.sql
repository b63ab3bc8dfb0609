-- Profile pictures, already cropped, resized and re-encoded without metadata: the uploaded file
-- itself is never kept. One row per user; removing the picture deletes the row.
CREATE TABLE user_pictures (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    -- 512 × 512 and 128 × 128 px, both in content_type.
    large BLOB NOT NULL,
    small BLOB NOT NULL,
    -- A digest of both images: the ETag, and the cache-busting version in their URLs.
    etag TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
