-- Phillips level-5 ROI per programme, with every column the mart echoes (assumptions too).
with final as (
    select r.* from training_roi as r
)

select * from final order by program_name
