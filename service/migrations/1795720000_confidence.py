"""confidence check-ins: dated confidence ratings and tip-givers' at-home themes

Revision ID: 1795720000
Revises: 1795710000
Create Date: 2026-12-06 22:00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import service.database  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision: str = "1795720000"
down_revision: Union[str, Sequence[str], None] = "1795710000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "confidence_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.Column("created_at", service.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_confidence_ratings_pairing_id_pairings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_confidence_ratings_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_confidence_ratings_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidence_ratings")),
        sa.UniqueConstraint("pairing_id", name=op.f("uq_confidence_ratings_pairing_id")),
    )
    with op.batch_alter_table("confidence_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_confidence_ratings_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_confidence_ratings_subscriber_id"), ["subscriber_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_confidence_ratings_theme_id"), ["theme_id"], unique=False
        )
    op.create_table(
        "home_themes",
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_home_themes_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_home_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscriber_id", "theme_id", name=op.f("pk_home_themes")),
    )


def downgrade() -> None:
    op.drop_table("home_themes")
    with op.batch_alter_table("confidence_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_confidence_ratings_theme_id"))
        batch_op.drop_index(batch_op.f("ix_confidence_ratings_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_confidence_ratings_created_at"))
    op.drop_table("confidence_ratings")
