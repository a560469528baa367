"""Running stages name an owner and a clinical reviewer too (as 0009 did for the other
kinds), and Editors may change them, as they change every other kind of content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def let_editors_edit_running_stages(apps, schema_editor):
    # As in 0002: permissions are normally created after all migrations run.
    app_config = apps.get_app_config("advice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    stage_permissions = Permission.objects.filter(
        content_type__app_label="advice", content_type__model="runningstage"
    )
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*stage_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0011_running_stages"),
    ]

    operations = [
        migrations.RunPython(let_editors_edit_running_stages, migrations.RunPython.noop),
        *(
            migrations.AddField(
            model_name="runningstage",
            name=name,
            field=models.CharField(default="Editorial team", help_text=help_text, max_length=100),
            preserve_default=False,
            )
            for name, help_text in [
                ("owner", "Who keeps this item up to date: a person or a team."),
                (
                    "clinical_reviewer",
                    "Who checks the clinical content at each review; readers see the name.",
                ),
            ]
        ),
    ]
