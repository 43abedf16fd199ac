-- uses: _scope_people
-- The locations and job families of the people inside a scope (snapshot date): the options a
-- restricted scope's location and job family filters offer.
with people as (
    select p.location, p.job_family
    from people_on_as_of as p
    where p.employee_id in (select s.employee_id from scope_people as s)
),

final as (
    select distinct 'location' as field, p.location as value from people as p
    union all
    select distinct 'job_family' as field, p.job_family as value from people as p
)

select * from final order by field, value
