"""Rows for the permission table in tests/test_permissions.py (same shape as PERMISSIONS).

The kwargs builder names an import: "own_import" is uploaded by the organizer fixture's
account (anyone else gets a 404), "other_import" by another organizer of the same
organization (a 404 even for the organizer). ``import_kwargs`` builds the URL kwargs.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from members.services.imports import member_import_create
from tests.members.factories import OrganizationRoleFactory, UserFactory
from tests.members.import_files import csv_bytes

LOGIN_REDIRECT = "login"
ROLES = ["anonymous", "participant", "trainer", "organizer"]
ONLY_ORGANIZERS = {"anonymous": LOGIN_REDIRECT, "participant": 404, "trainer": 404}

IMPORT_EXPORT_PERMISSIONS = [
    ("members:import_start", None, ONLY_ORGANIZERS | {"organizer": 200}),
    ("members:import_detail", "own_import", ONLY_ORGANIZERS | {"organizer": 200}),
    ("members:import_detail", "other_import", ONLY_ORGANIZERS | {"organizer": 404}),
    ("members:import_progress", "own_import", ONLY_ORGANIZERS | {"organizer": 200}),
    ("members:import_progress", "other_import", ONLY_ORGANIZERS | {"organizer": 404}),
    ("members:member_export", None, ONLY_ORGANIZERS | {"organizer": 200}),
]


def import_kwargs(state: str, *, organization, request) -> dict:
    """URL kwargs for an import row of the table; ``request`` is pytest's fixture request."""
    if state == "own_import":
        uploader = request.getfixturevalue("organizer")
    else:
        uploader = UserFactory()
        OrganizationRoleFactory(user=uploader, organization=organization, role="organizer")
    content, _expected = csv_bytes(3, organization=organization.short_name)
    member_import = member_import_create(
        file=SimpleUploadedFile("anggota.csv", content),
        default_organization=organization,
        uploaded_by=uploader,
    )
    return {"pk": member_import.pk}
