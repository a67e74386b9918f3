"""Add the observer to the roles a team member can hold."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('priorities', '0009_teammembership_is_illustrative'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalteammembership',
            name='role',
            field=models.CharField(choices=[('desk_officer', 'Desk officer'), ('financial_officer', 'Financial officer'), ('mission_staff', 'Mission staff'), ('manager', 'Manager'), ('observer', 'Observer')], max_length=30),
        ),
        migrations.AlterField(
            model_name='teammembership',
            name='role',
            field=models.CharField(choices=[('desk_officer', 'Desk officer'), ('financial_officer', 'Financial officer'), ('mission_staff', 'Mission staff'), ('manager', 'Manager'), ('observer', 'Observer')], max_length=30),
        ),
    ]
