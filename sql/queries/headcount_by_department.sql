-- uses: _people_as_of
-- Active employees on $as_of per department, inside the people filters.
with final as (
    select
        p.department,
        count(*) as headcount
    from people_as_of as p
    group by p.department
)

select * from final order by headcount desc, department
