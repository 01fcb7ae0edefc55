"""`turnabout create-admin EMAIL [--role editor]`."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from service.admin.audit import record_system
from service.admin.models import AdminRole
from service.admin.passwords import AccountError, create_admin, find_admin
from service.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(AdminRole.ALL),
    default=AdminRole.ADMIN,
    show_default=True,
    help="admin: everything; editor: content and schedule only.",
)
@with_appcontext
def create_admin_command(email: str, role: str):
    """Create an admin account (or reset its password and role).

    The password is read from ADMIN_PASSWORD when set, otherwise asked for twice.
    """

    password = os.environ.get("ADMIN_PASSWORD") or click.prompt(
        "Password (at least 12 characters)", hide_input=True, confirmation_prompt=True
    )
    existed = find_admin(email) is not None
    try:
        user = create_admin(email, password, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    record_system(
        "admin.reset" if existed else "admin.create",
        "admin_user",
        user.id,
        after={"email": user.email, "role": user.role},
    )
    db.session.commit()
    verb = "Updated" if existed else "Created"
    click.echo(f"{verb} {user.role} account {user.email}. Sign in at /admin/login.")


COMMANDS = [create_admin_command]
