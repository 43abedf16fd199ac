-- Skills held by each active person on the as-of date (highest level among their valid
-- awards), with the person's team attributes that day.
with people as (
    select p.* from people_on_as_of as p
),

valid as (
    select
        p.as_of,
        h.employee_id,
        h.skill_id,
        max(h.effective_level) as effective_level
    from holding_intervals as h
    inner join people as p on p.employee_id = h.employee_id
    where h.valid_from <= p.as_of
      and coalesce(h.valid_to, date '9999-12-31') > p.as_of
    group by p.as_of, h.employee_id, h.skill_id
),

final as (
    select
        v.*,
        p.department,
        p.location,
        p.job_family
    from valid as v
    inner join people as p on p.employee_id = v.employee_id
)

select * from final
