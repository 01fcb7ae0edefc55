"""continuing pairs: an admin's break of a "keep this partner"

Revision ID: 1795710000
Revises: 1795700000
Create Date: 2026-12-06 21:40:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import service.database  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision: str = "1795710000"
down_revision: Union[str, Sequence[str], None] = "1795700000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "continuation_breaks",
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("created_at", service.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_continuation_breaks_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pairing_id", name=op.f("pk_continuation_breaks")),
    )


def downgrade() -> None:
    op.drop_table("continuation_breaks")
