-- Kaplan-Meier retention by tenure month for badged and not-badged time (SPEC §5), per team.
-- Because exposure is time-varying, this is the extended Kaplan-Meier estimator (Snapinn,
-- Jiang & Iglewicz 2005): a person is in the badged risk set only from their first badge on,
-- so nobody is credited with time before it. People enter the risk set at their tenure on
-- entering the window (delayed entry) and are censored at the window end or when they change
-- team or state.
--
-- Month of tenure m covers tenure days [m x 30.4375, (m + 1) x 30.4375). at_risk(m) = people
-- present in the group at some point of month m; leavers(m) = those whose leaving falls in it;
-- retained_share(m) = product over months j <= m of (1 - leavers(j) / at_risk(j)). Rows are
-- written for the months where the risk set changes or someone leaves: the curve is a step
-- function between them.
with segments as (
    select s.* from retention_segments as s
),

spells as (
    -- Tenure bands cut a spell in pieces; put them back together (same team interval, same state).
    -- An interval_id names one person's interval in one team: grouping on it (one integer)
    -- instead of on the person's and the team's names makes the same groups for less work.
    select
        any_value(s.team_type) as team_type,
        any_value(s.team) as team,
        s.exposed,
        min(s.seg_from) as spell_from,
        max(s.seg_to) as spell_to,
        bool_or(s.is_leave) as is_leave,
        any_value(s.hire_date) as hire_date
    from segments as s
    group by s.interval_id, s.exposed
),

tenure as (
    select
        sp.*,
        cast(floor((sp.spell_from - sp.hire_date) / 30.4375) as integer) as entry_month,
        cast(floor((sp.spell_to - sp.hire_date - 1) / 30.4375) as integer) as last_month
    from spells as sp
),

events as (
    select t.team_type, t.team, t.exposed, t.entry_month as month_of_tenure,
        1 as entering, 0 as leaving_risk, 0 as leavers
    from tenure as t
    union all
    select t.team_type, t.team, t.exposed, t.last_month + 1, 0, 1, 0
    from tenure as t
    union all
    select t.team_type, t.team, t.exposed, t.last_month, 0, 0, 1
    from tenure as t
    where t.is_leave
),

by_month as (
    select
        e.team_type,
        e.team,
        e.exposed,
        e.month_of_tenure,
        sum(e.entering) as entering,
        sum(e.leaving_risk) as leaving_risk,
        sum(e.leavers) as leavers
    from events as e
    group by e.team_type, e.team, e.exposed, e.month_of_tenure
),

at_risk as (
    select
        b.*,
        sum(b.entering - b.leaving_risk) over w as at_risk
    from by_month as b
    window w as (
        partition by b.team_type, b.team, b.exposed order by b.month_of_tenure
        rows between unbounded preceding and current row
    )
),

hazards as (
    select
        a.*,
        -- ln(1 - d/n) is -inf when everyone left; such a month drives the curve to 0.
        sum(case when a.leavers < a.at_risk then ln(1.0 - a.leavers / a.at_risk) else 0 end)
            over w as log_retained,
        sum(case when a.leavers >= a.at_risk and a.leavers > 0 then 1 else 0 end)
            over w as wiped_out
    from at_risk as a
    where a.at_risk > 0
    window w as (
        partition by a.team_type, a.team, a.exposed order by a.month_of_tenure
        rows between unbounded preceding and current row
    )
),

final as (
    select
        h.team_type,
        h.team,
        case when h.exposed then 'badged' else 'not_badged' end as exposure,
        h.month_of_tenure,
        cast(h.at_risk as bigint) as at_risk,
        cast(h.leavers as bigint) as leavers,
        case when h.wiped_out > 0 then 0.0 else exp(h.log_retained) end as retained_share,
        'association, not causation' as caveat
    from hazards as h
)

select * from final
