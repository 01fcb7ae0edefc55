"""outgoing emails: keep the context out of line on PostgreSQL

Revision ID: 1795700000
Revises: 1795693336
Create Date: 2026-11-26 13:15:00

"""

from typing import Sequence, Union

from alembic import op

from service.mail.models import CONTEXT_OUT_OF_LINE

# revision identifiers, used by Alembic.
revision: str = "1795700000"
down_revision: Union[str, Sequence[str], None] = "1795693336"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """See service.mail.models: the state updates of sending then skip the context."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in CONTEXT_OUT_OF_LINE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outgoing_emails ALTER COLUMN context SET STORAGE EXTENDED")
        op.execute("ALTER TABLE outgoing_emails RESET (toast_tuple_target)")
