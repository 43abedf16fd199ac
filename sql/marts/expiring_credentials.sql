-- Holdings that stop being valid within 90 days of the as-of date (SPEC §5), for people active
-- that day. A skill held through several awards stops only when the last of them does, so a
-- renewed credential is not listed. Credentials whose class evidences no mapped skill are
-- listed with skill_id null. within_days is 30, 60 or 90 (the smallest window that holds it).
with params as (
    select p.as_of from stg_params as p
),

active as (
    select p.* from people_on_as_of as p
),

ending_skills as (
    select
        h.employee_id,
        h.skill_id,
        -- The award whose end is the holding's end.
        arg_max(h.badge_class_id, h.valid_to) as badge_class_id,
        arg_max(h.award_id, h.valid_to) as award_id,
        max(h.valid_to) as expires_on
    from holding_intervals as h
    cross join params
    where h.valid_from <= params.as_of
      and coalesce(h.valid_to, date '9999-12-31') > params.as_of
    group by h.employee_id, h.skill_id
    having count(*) filter (where h.valid_to is null) = 0
),

skill_less as (
    select
        a.employee_id,
        cast(null as varchar) as skill_id,
        a.badge_class_id,
        a.award_id,
        a.valid_to as expires_on
    from badge_awards as a
    where a.valid_at_as_of
      and a.valid_to is not null
      and a.employee_id is not null
      and not exists (
          select 1 from badge_class_skills as s where s.badge_class_id = a.badge_class_id
      )
),

ending as (
    select * from ending_skills
    union all
    select * from skill_less
),

final as (
    select
        params.as_of,
        e.employee_id,
        p.full_name,
        p.department,
        p.location,
        p.job_family,
        p.manager_id,
        e.award_id,
        e.badge_class_id,
        b.name as badge_name,
        e.skill_id,
        s.skill_name,
        e.expires_on,
        cast(e.expires_on - params.as_of as integer) as days_left,
        case
            when e.expires_on - params.as_of <= 30 then 30
            when e.expires_on - params.as_of <= 60 then 60
            else 90
        end as within_days,
        case
            when e.expires_on - params.as_of <= 30 then '0-30 days'
            when e.expires_on - params.as_of <= 60 then '31-60 days'
            else '61-90 days'
        end as bucket
    from ending as e
    cross join params
    inner join active as p on p.employee_id = e.employee_id
    left join badge_classes as b on b.badge_class_id = e.badge_class_id
    left join skills as s on s.skill_id = e.skill_id
    where e.expires_on <= params.as_of + 90
)

select * from final
