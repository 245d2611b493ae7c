-- Media: the encoded HLS assets of movies and episodes, their renditions,
-- files and subtitles, and the job queue that makes them.
--
-- A playable is a movie (episode_id NULL) or an episode of a series.  An
-- asset is one encode of a source file for a playable: queued, encoding,
-- ready or failed (error says why in one line).  dir is the asset's
-- directory under the media root, set only when the encode is complete
-- and renamed into place, so a row with a dir always names whole files.
-- Subtitles belong to the playable, so a new encode keeps them; their
-- WebVTT text is kept here and written into every ready asset.
--
-- jobs is the work queue: workers take a job with FOR UPDATE SKIP LOCKED
-- and hold a session advisory lock on it while it runs, so a job whose
-- worker died (its session gone, its lock with it) is taken again.

CREATE TABLE media_assets (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id       bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    episode_id     bigint REFERENCES episodes (id) ON DELETE CASCADE,
    source         text NOT NULL CHECK (length(source) BETWEEN 1 AND 4096),
    ladder         text NOT NULL CHECK (ladder IN ('standard', 'auto')),
    status         text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'encoding', 'ready', 'failed')),
    error          text,
    dir            text UNIQUE,
    width          integer,
    height         integer,
    duration_ms    integer CHECK (duration_ms >= 0),
    segment_count  integer CHECK (segment_count >= 0),
    complexity     real,
    has_audio      boolean,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    ready_at       timestamptz,
    CHECK ((status = 'ready') = (dir IS NOT NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX media_assets_title_idx ON media_assets (title_id, episode_id);
CREATE INDEX media_assets_episode_idx ON media_assets (episode_id);

CREATE TABLE media_renditions (
    asset_id           bigint NOT NULL REFERENCES media_assets (id) ON DELETE CASCADE,
    name               text NOT NULL,
    width              integer NOT NULL,
    height             integer NOT NULL,
    bandwidth          integer NOT NULL,
    average_bandwidth  integer NOT NULL,
    target_bitrate     integer NOT NULL,
    codecs             text NOT NULL,
    playlist           text NOT NULL,
    segment_count      integer NOT NULL,
    bytes              bigint NOT NULL,
    PRIMARY KEY (asset_id, name)
);

CREATE TABLE media_files (
    asset_id  bigint NOT NULL REFERENCES media_assets (id) ON DELETE CASCADE,
    path      text NOT NULL,
    bytes     bigint NOT NULL,
    sha256    text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (asset_id, path)
);

CREATE TABLE media_subtitles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_id    bigint NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
    episode_id  bigint REFERENCES episodes (id) ON DELETE CASCADE,
    lang        text NOT NULL CHECK (lang ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
    vtt         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX media_subtitles_key
    ON media_subtitles (title_id, coalesce(episode_id, 0), lang);

CREATE TABLE jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('media.ingest')),
    asset_id      bigint REFERENCES media_assets (id) ON DELETE CASCADE,
    state         text NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    run_after     timestamptz NOT NULL DEFAULT now(),
    worker        text,
    started_at    timestamptz,
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready_idx ON jobs (run_after, id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_asset_idx ON jobs (asset_id);
