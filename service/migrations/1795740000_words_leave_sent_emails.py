"""outgoing emails: holds_words, so what people wrote leaves an email once it is sent

Revision ID: 1795740000
Revises: 1795730000
Create Date: 2026-12-06 21:45:00

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1795740000"
down_revision: Union[str, Sequence[str], None] = "1795730000"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The kinds whose context carried what a person wrote when this migration was written
# (EmailKind.words): their existing rows are marked, and the next erase_sent_words run
# blanks the words of those already sent.
KINDS_WITH_WORDS = (
    "relay",
    "not_relayed",
    "help_request",
    "challenge_unmatched",
    "partner_unavailable",
)


def upgrade() -> None:
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("holds_words", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_outgoing_emails_holding_words",
        "outgoing_emails",
        ["id"],
        unique=False,
        postgresql_where=sa.text("holds_words"),
        sqlite_where=sa.text("holds_words"),
    )
    outgoing = sa.table("outgoing_emails", sa.column("kind"), sa.column("holds_words"))
    op.execute(
        outgoing.update()
        .where(outgoing.c.kind.in_(KINDS_WITH_WORDS))
        .values(holds_words=sa.true())
    )


def downgrade() -> None:
    op.drop_index("ix_outgoing_emails_holding_words", table_name="outgoing_emails")
    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_column("holds_words")
