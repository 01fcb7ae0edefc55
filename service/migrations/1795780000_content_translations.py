"""content translations: themes and challenges in more than one language

Revision ID: 1795780000
Revises: 1795770000
Create Date: 2026-12-07 00:30:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import service.database  # noqa: F401  (custom column types such as UTCDateTime)

# revision identifiers, used by Alembic.
revision: str = "1795780000"
down_revision: Union[str, Sequence[str], None] = "1795770000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # What is stored today was written in English (the starter library and the console).
    for table in ("themes", "challenges"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
            )
    op.create_table(
        "theme_translations",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("tagline", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_theme_translations_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("theme_id", "language", name=op.f("pk_theme_translations")),
    )
    op.create_table(
        "challenge_translations",
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("learner_task", sa.Text(), nullable=False),
        sa.Column("giver_prompt", sa.Text(), nullable=False),
        sa.Column("starter_tip", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("updated_at", service.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_challenge_translations_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("challenge_id", "language", name=op.f("pk_challenge_translations")),
    )


def downgrade() -> None:
    op.drop_table("challenge_translations")
    op.drop_table("theme_translations")
    for table in ("challenges", "themes"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
