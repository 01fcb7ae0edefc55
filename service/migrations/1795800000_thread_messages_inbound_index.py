"""thread messages: an index on inbound_id

Revision ID: 1795800000
Revises: 1795790000
Create Date: 2026-12-07 05:15:00

The inbound job checks whether a stored message was relayed already by
thread_messages.inbound_id, once per group of messages, and deleting an inbound message
(retention) sets the column to NULL: without an index both scan the whole table, which
grows by one row per relayed reply.
"""

from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1795800000"
down_revision: Union[str, Sequence[str], None] = "1795790000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thread_messages_inbound_id"), ["inbound_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_messages_inbound_id"))
