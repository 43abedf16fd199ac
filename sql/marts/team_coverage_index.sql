-- Coverage index (SPEC §5) per team and date: the importance-weighted mean over the team's
-- required skills of min(coverage / target, 1), so 1.0 = every target met (a target of 0 is
-- met by definition); null when the team has no required skills. Also the number of single
-- points of failure (required skills with exactly one holder) and the total gap in people.
with coverage as (
    select c.* from team_skill_coverage as c
),

indexed as (
    select
        c.as_of,
        c.team_type,
        c.team,
        count(*) as required_skills,
        sum(
            c.weight * case when c.target <= 0 then 1.0 else least(c.coverage / c.target, 1.0) end
        ) / nullif(sum(c.weight), 0) as coverage_index,
        count(*) filter (where c.holders = 1) as single_points_of_failure,
        count(*) filter (where c.coverage >= c.target) as skills_meeting_target,
        sum(c.gap_people) as gap_people
    from coverage as c
    group by c.as_of, c.team_type, c.team
),

final as (
    select
        h.as_of,
        h.team_type,
        h.team,
        t.team_label,
        h.headcount,
        coalesce(i.required_skills, 0) as required_skills,
        i.coverage_index,
        coalesce(i.single_points_of_failure, 0) as single_points_of_failure,
        coalesce(i.skills_meeting_target, 0) as skills_meeting_target,
        coalesce(i.gap_people, 0) as gap_people,
        d.is_snapshot_date
    from team_headcounts as h
    inner join analysis_dates as d on d.as_of = h.as_of
    left join indexed as i
        on i.as_of = h.as_of and i.team_type = h.team_type and i.team = h.team
    left join teams as t on t.team_type = h.team_type and t.team = h.team
)

select * from final
