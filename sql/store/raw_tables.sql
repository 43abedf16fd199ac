-- The raw tables: the canonical columns every loader writes, one table per kind of row.
-- Their rows live in Parquet segments beside the store (see etl/segments.py), one folder per
-- loaded file, `file_id=<id>/<table>.parquet`; these declarations give every segment its
-- columns and types, and the build reads them as views `raw.<table>` over the current files.

-- HR roster snapshots: one row per employee per export file.
create table if not exists raw_roster (
    file_id               bigint not null,
    row_number            bigint not null,
    snapshot_date         date not null,
    employee_id           varchar not null,
    email                 varchar,
    full_name             varchar,
    department            varchar not null,
    team                  varchar,
    manager_id            varchar,
    job_title             varchar,
    job_family            varchar,
    location              varchar,
    hire_date             date not null,
    termination_date      date,
    termination_reason    varchar,
    termination_voluntary boolean,
    regrettable           boolean,
    annual_salary         double,
    performance_rating    varchar,
    cost_center           varchar
);

-- Badge awards from every format (OB 2.0, OB 3.0, platform CSV, baked images).
create table if not exists raw_badge_awards (
    file_id               bigint not null,
    row_number            bigint not null,
    award_id              varchar not null,      -- assertion id / credential id / Earner Badge ID / synthetic
    source_format         varchar not null,      -- ob2 / ob3 / credly_csv / canvas_csv / mapped_csv / ob1
    badge_class_id        varchar,
    badge_name            varchar,
    issuer_id             varchar,
    issuer_name           varchar,
    recipient_employee_id varchar,               -- explicit employee id (Issuer Earner ID, subject id)
    recipient_type        varchar,               -- email / url / telephone / did ...
    recipient_identity    varchar,               -- plain identity or the hash with its 'sha256$' prefix
    recipient_hashed      boolean,
    recipient_salt        varchar,
    issued_on             date,
    expires_on            date,
    revoked               boolean default false,
    revoked_on            date,
    revocation_reason     varchar,
    status                varchar,               -- platform status (accepted / pending / ...) when given
    evidence              varchar,
    narrative             varchar
);

create table if not exists raw_badge_classes (
    file_id               bigint not null,
    row_number            bigint not null,
    badge_class_id        varchar not null,
    name                  varchar,
    description           varchar,
    issuer_id             varchar,
    issuer_name           varchar,
    criteria              varchar,
    source_format         varchar
);

create table if not exists raw_alignments (
    file_id               bigint not null,
    row_number            bigint not null,
    badge_class_id        varchar not null,
    target_name           varchar,
    target_url            varchar,
    target_framework      varchar,
    target_code           varchar,
    target_type           varchar
);

-- Revocations published separately (OB 2.0 RevocationList, OB 3.0 status list entries).
create table if not exists raw_revocations (
    file_id               bigint not null,
    row_number            bigint not null,
    award_id              varchar not null,
    revoked_on            date,
    reason                varchar
);

create table if not exists raw_skills_map (
    file_id               bigint not null,
    row_number            bigint not null,
    badge_class_id        varchar,
    badge_name            varchar,
    skill_id              varchar not null,
    skill_name            varchar,
    framework             varchar,
    level                 integer
);

create table if not exists raw_role_requirements (
    file_id               bigint not null,
    row_number            bigint not null,
    job_title             varchar,
    job_family            varchar,
    skill_id              varchar not null,
    required_level        integer,
    target                double,
    weight                double
);

create table if not exists raw_programs (
    file_id               bigint not null,
    row_number            bigint not null,
    program_id            varchar not null,
    program_name          varchar,
    badge_class_id        varchar,
    badge_name            varchar,
    cost_per_learner      double,
    learning_hours        double
);

create table if not exists raw_assumptions (
    file_id               bigint not null,
    row_number            bigint not null,
    key                   varchar not null,
    value                 double not null
);
