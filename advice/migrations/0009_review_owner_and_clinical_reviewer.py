"""Every item names its owner and clinical reviewer; existing rows get the editorial team,
as the content files do."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0008_content_change_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="article",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="cause",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="cause",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="faq",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="faq",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="page",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="page",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="remedy",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="remedy",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="symptom",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="symptom",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="triagerule",
            name="owner",
            field=models.CharField(
                default="Editorial team",
                help_text="Who keeps this item up to date: a person or a team.",
                max_length=100,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="triagerule",
            name="clinical_reviewer",
            field=models.CharField(
                default="Editorial team",
                help_text="Who checks the clinical content at each review; readers see the name.",
                max_length=100,
            ),
            preserve_default=False,
        ),
    ]
