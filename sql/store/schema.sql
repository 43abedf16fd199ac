-- The store: written only by the ETL. The catalogue of every file ever loaded (its rows, by
-- file_id, are Parquet segments declared in raw_tables.sql), the run log and the quarantine.

create sequence if not exists run_id_seq start 1;
create sequence if not exists file_id_seq start 1;

create table if not exists etl_runs (
    run_id            bigint primary key,
    started_at        timestamp not null,
    finished_at       timestamp,
    status            varchar not null,          -- running / published / failed
    pid               integer,
    files_loaded      integer default 0,
    files_unchanged   integer default 0,
    files_rejected    integer default 0,
    rows_read         bigint default 0,
    rows_loaded       bigint default 0,
    rows_quarantined  bigint default 0,
    snapshot          varchar,
    error             varchar
);

create table if not exists files (
    file_id           bigint primary key,
    path              varchar not null,          -- relative to the inbox
    sha256            varchar not null,
    size_bytes        bigint,
    mtime_ns          bigint,                    -- lets a later run skip hashing an untouched file
    loader            varchar,
    run_id            bigint not null,
    loaded_at         timestamp not null,
    status            varchar not null,          -- loaded / rejected
    superseded_by     bigint,                    -- file_id of a later version of the same path
    rows_read         bigint default 0,
    rows_loaded       bigint default 0,
    rows_quarantined  bigint default 0,
    error             varchar
);

create table if not exists quarantine (
    run_id            bigint not null,
    file_id           bigint not null,
    path              varchar not null,
    row_number        bigint,                    -- 1-based data row (header excluded); null = whole record
    raw               varchar,                   -- the row's raw values as JSON
    reason            varchar not null
);
