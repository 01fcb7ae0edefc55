"""outgoing emails: the subject as rendered, stored once

Revision ID: 1795790000
Revises: 1795780000
Create Date: 2026-12-07 03:30:00

A thread's later emails (relays, notices, nudges, recaps) quote the subject of its first
email; they read it from here instead of rendering it again. Rows written before this
column have none: no backfill (it would mean rendering templates inside a migration, with
whatever code is current when it runs); service.mail.subjects renders such a row's subject
the first time a thread needs it and stores it then.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1795790000"
down_revision: Union[str, Sequence[str], None] = "1795780000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_column("subject")
