-- Valid holdings on the as-of date: one row per employee and skill, with the highest level
-- held, the first date the person ever validly held the skill, and the date the holding
-- stops unless renewed (null = no award for it expires). `active` says whether the person is
-- employed on the as-of date.
with params as (
    select p.as_of from stg_params as p
),

holdings as (
    select h.*
    from holding_intervals as h
),

held_now as (
    select
        h.employee_id,
        h.skill_id,
        max(h.level) as level,
        max(h.effective_level) as effective_level,
        -- The holding lasts as long as its longest-lasting award; any open award keeps it open.
        case when count(*) filter (where h.valid_to is null) > 0 then null else max(h.valid_to) end
            as expires_on,
        count(*) as valid_awards
    from holdings as h
    cross join params
    where h.valid_from <= params.as_of
      and coalesce(h.valid_to, date '9999-12-31') > params.as_of
    group by h.employee_id, h.skill_id
),

first_held as (
    select
        h.employee_id,
        h.skill_id,
        min(h.valid_from) as first_valid_on
    from holdings as h
    group by h.employee_id, h.skill_id
),

final as (
    select
        n.employee_id,
        n.skill_id,
        n.level,
        n.effective_level,
        f.first_valid_on,
        n.expires_on,
        n.valid_awards,
        coalesce(e.active, false) as active,
        params.as_of
    from held_now as n
    inner join first_held as f on f.employee_id = n.employee_id and f.skill_id = n.skill_id
    left join employees as e on e.employee_id = n.employee_id
    cross join params
)

select * from final
