"""shared tips: a tip reaches other learners only with its author's consent

Revision ID: 1795730000
Revises: 1795720000
Create Date: 2026-12-06 21:30:00

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import service.database  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision: str = "1795730000"
down_revision: Union[str, Sequence[str], None] = "1795720000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Tips shared so far had no consent: none is carried over."""
    op.create_table(
        "shared_tips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("consented_at", service.database.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", service.database.UTCDateTime(), nullable=True),
        sa.Column("erased_at", service.database.UTCDateTime(), nullable=True),
        sa.Column("created_at", service.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_message_id"],
            ["thread_messages.id"],
            name=op.f("fk_shared_tips_source_message_id_thread_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_shared_tips_pairing_id_pairings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["subscribers.id"],
            name=op.f("fk_shared_tips_author_id_subscribers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"], ["challenges.id"], name=op.f("fk_shared_tips_challenge_id_challenges")
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_shared_tips_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_tips")),
        sa.UniqueConstraint("source_message_id", name=op.f("uq_shared_tips_source_message_id")),
    )
    with op.batch_alter_table("shared_tips", schema=None) as batch_op:
        for column in ("pairing_id", "author_id", "challenge_id", "theme_id"):
            batch_op.create_index(batch_op.f(f"ix_shared_tips_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("shared_tips")
