"""Rows of the cascade page for the permission table in tests/test_permissions.py (same
shape): the cohort's organizers; another organization's cohort answers 404."""

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}

# "own_cohort" and "other_cohort" are made by tests/cohorts/permission_rows.py.
CASCADE_PERMISSIONS = [
    ("cohorts:cascade", "own_cohort", STAFF_ONLY),
    ("cohorts:cascade", "other_cohort", NOBODY),
]
