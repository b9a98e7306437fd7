"""Load Indonesia's provinces and regencies/cities (Kemendagri codes) from members/data."""

import csv
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("members", "Region")
    with REGIONS_CSV.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    provinces = {}
    for row in sorted(rows, key=lambda row: (row["level"] != "province", row["code"])):
        parent = provinces.get(row["parent_code"]) if row["parent_code"] else None
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent": parent},
        )
        if row["level"] == "province":
            provinces[row["code"]] = region


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_details")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
