"""ImportBatch moves here from assessments: Django's state only, the tables stay as they are.

The model keeps its tables (assessments_importbatch, assessments_historicalimportbatch), so no
row moves; its content type follows it, so permissions, admin log entries and history keep
pointing at it.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("importbatch", "historicalimportbatch")


def move_content_types(apps, schema_editor, source="assessments", target="imports"):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="imports", target="assessments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("assessments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalImportBatch',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='imported at')),
                        ('fiscal_year', models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2500), django.core.validators.MaxValueValidator(2700)], verbose_name='fiscal year (B.E.)')),
                        ('status', models.CharField(choices=[('committed', 'Committed'), ('rolled_back', 'Rolled back')], default='committed', max_length=20, verbose_name='status')),
                        ('rolled_back_at', models.DateTimeField(blank=True, null=True, verbose_name='rolled back at')),
                        ('row_count', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='summary')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rolled_back_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rolled back by')),
                        ('uploaded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'historical import batch',
                        'verbose_name_plural': 'historical import batches',
                        'db_table': 'assessments_historicalimportbatch',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='imported at')),
                        ('fiscal_year', models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2500), django.core.validators.MaxValueValidator(2700)], verbose_name='fiscal year (B.E.)')),
                        ('status', models.CharField(choices=[('committed', 'Committed'), ('rolled_back', 'Rolled back')], default='committed', max_length=20, verbose_name='status')),
                        ('rolled_back_at', models.DateTimeField(blank=True, null=True, verbose_name='rolled back at')),
                        ('row_count', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='summary')),
                        ('rolled_back_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rolled_back_batches', to=settings.AUTH_USER_MODEL, verbose_name='rolled back by')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='import_batches', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'verbose_name': 'import batch',
                        'verbose_name_plural': 'import batches',
                        'db_table': 'assessments_importbatch',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
