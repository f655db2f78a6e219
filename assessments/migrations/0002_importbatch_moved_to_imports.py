"""ImportBatch moved to the imports app: Django's state only (see imports/0001); no table changes.

The foreign keys to it already point at the table it keeps, so nothing is altered in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_initial'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='importbatch',
                    name='rolled_back_by',
                ),
                migrations.RemoveField(
                    model_name='importbatch',
                    name='uploaded_by',
                ),
                migrations.AlterField(
                    model_name='historicalindicatorscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='questionscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='assessment',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalquestionscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='instrumentscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalsubindicatorscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalitemanswer',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalassessment',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='historicalinstrumentscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='indicatorscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='subindicatorscore',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='itemanswer',
                    name='batch',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='%(class)s_rows', to='imports.importbatch', verbose_name='import batch'),
                ),
                migrations.DeleteModel(
                    name='HistoricalImportBatch',
                ),
                migrations.DeleteModel(
                    name='ImportBatch',
                ),
            ],
            database_operations=[],
        ),
    ]
