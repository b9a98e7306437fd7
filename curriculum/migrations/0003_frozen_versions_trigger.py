"""On Postgres, the database itself refuses changes to a version that is not a draft.

The services check first and answer with a translated message; this is the backstop for
every other path (admin, shell, bulk updates). A published row may still change its status
(published -> archived); nothing else on it, and nothing below it, may change.
"""

from django.db import migrations

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION curriculum_refuse_frozen() RETURNS trigger AS $$
DECLARE
    affected record;
    curriculum bigint;
    curriculum_status varchar;
BEGIN
    IF TG_OP = 'DELETE' THEN affected := OLD; ELSE affected := NEW; END IF;
    FOR pass IN 1..2 LOOP
        IF pass = 2 THEN
            EXIT WHEN TG_OP <> 'UPDATE';
            affected := OLD;
        END IF;
        IF TG_TABLE_NAME = 'curriculum_question' THEN
            SELECT a.curriculum_id INTO curriculum FROM curriculum_assessment a
            WHERE a.id = affected.assessment_id;
        ELSIF TG_TABLE_NAME = 'curriculum_choice' THEN
            SELECT a.curriculum_id INTO curriculum FROM curriculum_question q
            JOIN curriculum_assessment a ON a.id = q.assessment_id
            WHERE q.id = affected.question_id;
        ELSE
            curriculum := affected.curriculum_id;
        END IF;
        SELECT status INTO curriculum_status FROM curriculum_curriculum WHERE id = curriculum;
        IF curriculum_status IS NOT NULL AND curriculum_status <> 'draft' THEN
            RAISE EXCEPTION 'curriculum % is %; only a draft version can change',
                curriculum, curriculum_status USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

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
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
GUARDED_TABLES = ["module", "material", "assessment", "question", "choice"]


def _statements(create: bool) -> list[str]:
    statements = []
    for table in GUARDED_TABLES:
        name = f"curriculum_{table}_frozen"
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON curriculum_{table}")
        if create:
            statements.append(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON curriculum_{table} "
                "FOR EACH ROW EXECUTE FUNCTION curriculum_refuse_frozen()"
            )
    statements.append("DROP TRIGGER IF EXISTS curriculum_frozen ON curriculum_curriculum")
    if create:
        statements.append(
            "CREATE TRIGGER curriculum_frozen BEFORE UPDATE ON curriculum_curriculum "
            "FOR EACH ROW EXECUTE FUNCTION curriculum_refuse_frozen_fields()"
        )
    return statements


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD_FUNCTION, params=None)
    for statement in _statements(create=True):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _statements(create=False):
        schema_editor.execute(statement)
    schema_editor.execute("DROP FUNCTION IF EXISTS curriculum_refuse_frozen()")
    schema_editor.execute("DROP FUNCTION IF EXISTS curriculum_refuse_frozen_fields()")


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0002_modules_materials_assessment")]

    operations = [migrations.RunPython(install, uninstall)]
