"""Drafts awaiting clinical sign-off, and the Clinical reviewers group that approves them."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CLINICAL_REVIEWERS = "Clinical reviewers"


def create_clinical_reviewers(apps, schema_editor):
    # As in 0002: permissions are normally created after all migrations run.
    app_config = apps.get_app_config("advice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    drafts = Permission.objects.filter(
        content_type__app_label="advice",
        content_type__model="contentdraft",
        codename__in=["view_contentdraft", "add_contentdraft", "change_contentdraft"],
    )
    approve = Permission.objects.get(
        content_type__app_label="advice", codename="approve_clinical_change"
    )
    reviewers, _ = Group.objects.get_or_create(name=CLINICAL_REVIEWERS)
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(approve)  # 0002 gave Editors every permission there was
        editors.permissions.add(*drafts)
        reviewers.permissions.add(*editors.permissions.all())
    reviewers.permissions.add(approve, *drafts)


def remove_clinical_reviewers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLINICAL_REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0012_running_stage_owner_and_reviewer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="contentchange",
            name="source",
            field=models.CharField(
                choices=[
                    ("admin", "Admin"),
                    ("import", "Import"),
                    ("revert", "Revert"),
                    ("approval", "Clinical approval"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="ContentDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=30)),
                ("slug", models.SlugField(max_length=100)),
                ("object_pk", models.PositiveBigIntegerField(blank=True, null=True)),
                ("record", models.JSONField()),
                ("base", models.JSONField(blank=True, null=True)),
                ("changed", models.JSONField(default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("returned_note", models.TextField(blank=True)),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contributors",
                    models.ManyToManyField(related_name="+", to=settings.AUTH_USER_MODEL),
                ),
            ],
            options={
                "ordering": ["created_at"],
                "permissions": [("approve_clinical_change", "Can approve clinical changes")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("object_pk__isnull", False)),
                        fields=("kind", "object_pk"),
                        name="one_draft_per_item",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("object_pk__isnull", True)),
                        fields=("kind", "slug"),
                        name="one_draft_per_new_slug",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_clinical_reviewers, remove_clinical_reviewers),
    ]
