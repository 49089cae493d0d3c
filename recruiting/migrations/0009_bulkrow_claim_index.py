"""A sender's claim (the first pending rows of a job in file order) reads an index in that order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recruiting', '0008_invitation_started_at'),
    ]

    operations = [
        # The new index first: the claim is never without one.
        migrations.AddIndex(
            model_name='bulkinviterow',
            index=models.Index(fields=['bulk', 'state', 'line_number'], name='bulkrow_bulk_state_line'),
        ),
        migrations.RemoveIndex(
            model_name='bulkinviterow',
            name='bulkrow_bulk_state',
        ),
    ]
