"""Let Editors change triage rules, as they change every other kind of content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def let_editors_edit_triage_rules(apps, schema_editor):
    # As in 0002: permissions are normally created after all migrations run.
    app_config = apps.get_app_config("advice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    rule_permissions = Permission.objects.filter(
        content_type__app_label="advice", content_type__model="triagerule"
    )
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*rule_permissions)


class Migration(migrations.Migration):
    dependencies = [("advice", "0006_triage_rules_and_cause_care")]

    operations = [migrations.RunPython(let_editors_edit_triage_rules, migrations.RunPython.noop)]
