-- Valid holdings on the as-of date: one row per employee and skill, with the highest level
-- held, the first date the person ever validly held the skill, and the date the holding
-- stops unless renewed (null = no award for it expires). `active` says whether the person is
-- employed on the as-of date.
with params as (
    select p.as_of from stg_params as p
),

holdings as (
    select
        h.*,
        h.valid_from <= params.as_of
            and coalesce(h.valid_to, date '9999-12-31') > params.as_of as valid_now
    from holding_intervals as h
    cross join params
),

held as (
    -- One pass over the holdings: what is valid on the as-of date, and when it was first held.
    select
        h.employee_id,
        h.skill_id,
        max(h.level) filter (where h.valid_now) as level,
        max(h.effective_level) filter (where h.valid_now) as effective_level,
        min(h.valid_from) as first_valid_on,
        -- The holding lasts as long as its longest-lasting award; any open award keeps it open.
        case
            when count(*) filter (where h.valid_now and h.valid_to is null) > 0 then null
            else max(h.valid_to) filter (where h.valid_now)
        end as expires_on,
        count(*) filter (where h.valid_now) as valid_awards
    from holdings as h
    group by h.employee_id, h.skill_id
    having count(*) filter (where h.valid_now) > 0
),

final as (
    select
        n.employee_id,
        n.skill_id,
        n.level,
        n.effective_level,
        n.first_valid_on,
        n.expires_on,
        n.valid_awards,
        coalesce(e.active, false) as active,
        params.as_of
    from held as n
    left join employees as e on e.employee_id = n.employee_id
    cross join params
)

select * from final
