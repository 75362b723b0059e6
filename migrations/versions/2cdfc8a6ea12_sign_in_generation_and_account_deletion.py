"""sign-in generation and account deletion

user.sign_in_generation ends every older sign-in at once (sign out everywhere, password change);
user.deleted_at marks the tombstone left by a deleted account.

Revision ID: 2cdfc8a6ea12
Revises: c8aa65e2a195
Create Date: 2026-11-29 01:22:41.456797
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import rooms.timestamps

revision: str = "2cdfc8a6ea12"
down_revision: str | None = "c8aa65e2a195"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign_in_generation", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("deleted_at", rooms.timestamps.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("sign_in_generation")
