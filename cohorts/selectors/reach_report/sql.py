"""The reach report's SQL: constant text, every value a bound parameter; plain SQL that
SQLite runs too. Each query is ``reached_members_sql``'s start (the walk, the cohorts in
range, their filtered seats, ``reached``) followed by one of the tails below."""

# ``reached (member_id, generation, root_id, cohort_id, region_id)``: each member once, at
# the first generation (then the earliest end) that reached them, with that cohort's
# region; ``counted`` the cohorts within the range, ``seats`` their filtered enrollments.
REACHED_CTES = """
, counted (id, parent_id, generation, root_id, ends_on, region_id) AS (
    SELECT tree.id, tree.parent_id, tree.generation, tree.root_id, c.ends_on, c.region_id
    FROM tree JOIN cohorts_cohort c ON c.id = tree.id
    WHERE 1 = 1 {date_conditions}
), seats (enrollment_id, member_id, status, cohort_id, generation, root_id, ends_on,
          region_id) AS (
    SELECT e.id, e.member_id, e.status, counted.id, counted.generation, counted.root_id,
           counted.ends_on, counted.region_id
    FROM counted JOIN cohorts_enrollment e ON e.cohort_id = counted.id
    {organization_condition}
), first_reached (member_id, generation, root_id, cohort_id, region_id, place) AS (
    SELECT member_id, generation, root_id, cohort_id, region_id,
           ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY generation, ends_on, cohort_id)
    FROM seats WHERE status = %(completed)s
), reached (member_id, generation, root_id, cohort_id, region_id) AS (
    SELECT member_id, generation, root_id, cohort_id, region_id
    FROM first_reached WHERE place = 1
)
"""
ORGANIZATION_SCOPE_CTE = """
, organization_scope (id) AS (
    SELECT id FROM members_organization WHERE id = %(organization)s
    UNION
    SELECT child.id FROM members_organization child
    JOIN organization_scope ON child.parent_id = organization_scope.id
)
"""
ORGANIZATION_CONDITION = """
    JOIN members_member scoped ON scoped.id = e.member_id
    WHERE scoped.organization_id IN (SELECT id FROM organization_scope)
"""

GENERATIONS_SQL = """
, cohorts_per_generation (generation, cohorts) AS (
    SELECT generation, COUNT(*) FROM counted GROUP BY generation
), reached_per_generation (generation, members) AS (
    SELECT generation, COUNT(*) FROM reached GROUP BY generation
), scores (generation, pre, post) AS (
    SELECT seats.generation,
           MAX(CASE WHEN a.kind = %(pre)s THEN a.score_percent END),
           MAX(CASE WHEN a.kind = %(post)s THEN a.score_percent END)
    FROM seats JOIN cohorts_assessmentattempt a ON a.enrollment_id = seats.enrollment_id
    WHERE seats.status IN (%(confirmed)s, %(completed)s, %(incomplete)s)
    GROUP BY seats.generation, seats.enrollment_id
), knowledge (generation, took_both, pre, post) AS (
    SELECT generation, COUNT(*), SUM(pre), SUM(post) FROM scores
    WHERE pre IS NOT NULL AND post IS NOT NULL
    GROUP BY generation
)
SELECT g.generation, g.cohorts, COALESCE(r.members, 0), COALESCE(k.took_both, 0), k.pre, k.post
FROM cohorts_per_generation g
LEFT JOIN reached_per_generation r ON r.generation = g.generation
LEFT JOIN knowledge k ON k.generation = g.generation
ORDER BY g.generation
"""

# Members are counted per region first, then the regions are placed in their provinces.
PLACES_SQL = """
, placed (region_id, members, by_training) AS (
    SELECT COALESCE(m.region_id, reached.region_id), COUNT(*),
           SUM(CASE WHEN m.region_id IS NULL THEN 1 ELSE 0 END)
    FROM reached JOIN members_member m ON m.id = reached.member_id
    GROUP BY COALESCE(m.region_id, reached.region_id)
), located (province_id, regency_id, members, by_training) AS (
    SELECT CASE WHEN r.level = %(regency)s THEN r.parent_id ELSE r.id END,
           CASE WHEN r.level = %(regency)s THEN r.id END,
           placed.members, placed.by_training
    FROM placed JOIN members_region r ON r.id = placed.region_id
)
SELECT province.id, province.name, regency.id, regency.name,
       SUM(located.members), SUM(located.by_training)
FROM located
JOIN members_region province ON province.id = located.province_id
LEFT JOIN members_region regency ON regency.id = located.regency_id
GROUP BY province.id, province.name, regency.id, regency.name
"""

# Members are counted per organization first, so the walk up and the joins see each
# organization once, not each member.
ORGANIZATIONS_SQL = """
, reached_organizations (id, members) AS (
    SELECT m.organization_id, COUNT(*)
    FROM reached JOIN members_member m ON m.id = reached.member_id
    GROUP BY m.organization_id
), chain (organization_id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM reached_organizations
    UNION ALL
    SELECT chain.organization_id, o.parent_id, chain.depth + 1
    FROM chain JOIN members_organization o ON o.id = chain.ancestor_id
    WHERE o.parent_id IS NOT NULL AND chain.depth < %(depth_limit)s
), confederations (organization_id, confederation_id) AS (
    SELECT chain.organization_id, chain.ancestor_id
    FROM chain JOIN members_organization a ON a.id = chain.ancestor_id
    WHERE a.kind = %(confederation)s
), federations (organization_id, federation_id, place) AS (
    SELECT chain.organization_id, chain.ancestor_id,
           ROW_NUMBER() OVER (PARTITION BY chain.organization_id ORDER BY chain.depth DESC)
    FROM chain JOIN members_organization a ON a.id = chain.ancestor_id
    WHERE a.kind = %(federation)s
)
SELECT top.id, top.short_name, top.name, fed.id, fed.short_name, fed.name,
       SUM(reached_organizations.members)
FROM reached_organizations
LEFT JOIN confederations c ON c.organization_id = reached_organizations.id
LEFT JOIN federations f ON f.organization_id = reached_organizations.id AND f.place = 1
LEFT JOIN members_organization top ON top.id = c.confederation_id
LEFT JOIN members_organization fed ON fed.id = f.federation_id
GROUP BY top.id, top.short_name, top.name, fed.id, fed.short_name, fed.name
"""

FIRST_CASCADES_SQL = """
, graduates (member_id, root_id) AS (
    SELECT DISTINCT member_id, root_id FROM seats
    WHERE generation = 0 AND status = %(completed)s
)
SELECT graduates.member_id, root.ends_on, MIN(led.starts_on)
FROM graduates
JOIN tree ON tree.parent_id = graduates.root_id
JOIN cohorts_cohort_lead_trainers lt
  ON lt.cohort_id = tree.id AND lt.member_id = graduates.member_id
JOIN cohorts_cohort led ON led.id = tree.id AND led.status IN (%(running)s, %(completed_cohort)s)
JOIN cohorts_cohort root ON root.id = graduates.root_id
GROUP BY graduates.member_id, graduates.root_id, root.ends_on
"""
