"""`turnabout create-admin EMAIL [--role editor]`."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext
from flask_babel import gettext

from service.admin.audit import record_system
from service.admin.models import AdminRole
from service.admin.passwords import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    create_admin,
    find_admin,
)
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
    # Its messages go through the catalogue (the programme's default language, as for any
    # command); the --help text above is the operator's manual, like the README: English.
    password = os.environ.get("ADMIN_PASSWORD") or click.prompt(
        gettext("Password (at least %(length)s characters)", length=MIN_PASSWORD_LENGTH),
        hide_input=True,
        confirmation_prompt=True,
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
    shown = {"role": user.role, "email": user.email}
    done = (
        gettext("Updated %(role)s account %(email)s. Sign in at /admin/login.", **shown)
        if existed
        else gettext("Created %(role)s account %(email)s. Sign in at /admin/login.", **shown)
    )
    click.echo(done)


COMMANDS = [create_admin_command]
