"""Rows of the reach report for the permission table in tests/test_permissions.py (same
shape): organizers only; the report covers the TOTs in their own reach, so there is no
other organization's object to ask for (another organization's TOT in ``?tot=`` is a
form error, see tests/cohorts/test_reach_page.py)."""

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}

REACH_PERMISSIONS = [
    ("cohorts:reach", None, STAFF_ONLY),
    ("cohorts:reach_export", None, STAFF_ONLY),
]
