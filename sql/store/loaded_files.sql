-- The files whose rows count: loaded, and not superseded by a later version of the same path.
select f.file_id
from files as f
where f.status = 'loaded' and f.superseded_by is null
order by f.file_id
