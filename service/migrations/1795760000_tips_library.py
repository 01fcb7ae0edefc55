"""tips library: approved / hidden / credit on shared tips, and who received which tip

Revision ID: 1795760000
Revises: 1795750000
Create Date: 2026-12-06 22:50:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import service.database  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision: str = "1795760000"
down_revision: Union[str, Sequence[str], None] = "1795750000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ("approved_at", "hidden_at", "credit_allowed_at")


def upgrade() -> None:
    with op.batch_alter_table("shared_tips", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, service.database.UTCDateTime(), nullable=True))
    op.create_table(
        "tip_deliveries",
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("created_at", service.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_tip_deliveries_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"],
            ["shared_tips.id"],
            name=op.f("fk_tip_deliveries_tip_id_shared_tips"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tip_id", "subscriber_id", name=op.f("pk_tip_deliveries")),
    )
    with op.batch_alter_table("tip_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tip_deliveries_subscriber_id"), ["subscriber_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tip_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_deliveries_subscriber_id"))
    op.drop_table("tip_deliveries")
    with op.batch_alter_table("shared_tips", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
