"""A frozen version's status only moves forward (published > archived), never back to draft."""

from django.db import migrations

ONE_WAY_FUNCTION = """
CREATE OR REPLACE FUNCTION curriculum_refuse_frozen_fields() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' AND (
        NEW.title, NEW.slug, NEW.version, NEW.summary, NEW.audience, NEW.language, NEW.owner_id
    ) IS DISTINCT FROM (
        OLD.title, OLD.slug, OLD.version, OLD.summary, OLD.audience, OLD.language, OLD.owner_id
    ) THEN
        RAISE EXCEPTION 'curriculum % is %; only its status can change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status <> 'draft' AND NEW.status IS DISTINCT FROM OLD.status
        AND NOT (OLD.status = 'published' AND NEW.status = 'archived') THEN
        RAISE EXCEPTION 'curriculum % is %; it cannot become % again', OLD.id, OLD.status,
            NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ONE_WAY_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0003_frozen_versions_trigger")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
