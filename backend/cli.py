"""Command line: `flask --app backend plan load 2023`, `users create`, `demo create`."""

import click
from flask import Flask
from flask.cli import AppGroup

from backend.auth.models import Role, User
from backend.extensions import db
from backend.plans.logic import PLANS, load_plan, unit_named

plan_cli = AppGroup("plan", help="The annual plan (附件1).")
users_cli = AppGroup("users", help="Staff accounts.")
demo_cli = AppGroup("demo", help="The demo data of `make run`.")


@plan_cli.command("load")
@click.argument("year", type=int)
def plan_load(year: int) -> None:
    """Load a built-in plan (2023); running it again changes nothing."""
    if year not in PLANS:
        raise click.BadParameter(f"no built-in plan for {year}; known: {sorted(PLANS)}")
    added = load_plan(year)
    db.session.commit()
    click.echo(f"plan {year}: {added} projects added")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", required=True)
@click.option("--unit", "unit_name", help="host unit name (organizers)")
@click.option("--lecturer-id", type=int, help="lecturer id (lecturer accounts)")
@click.option("--name", "full_name", default="", help="the person's name (姓名)")
def users_create(
    username: str,
    role: str,
    password: str,
    unit_name: str | None,
    lecturer_id: int | None,
    full_name: str,
) -> None:
    """Create a staff account."""
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise click.ClickException(f"user {username} exists")
    if role == Role.ORGANIZER and not unit_name:
        raise click.ClickException("an organizer needs --unit")
    if role == Role.LECTURER and not lecturer_id:
        raise click.ClickException("a lecturer account needs --lecturer-id")
    user = User(
        username=username,
        full_name=full_name,
        role=Role(role),
        unit_id=unit_named(unit_name).id if unit_name else None,
        lecturer_id=lecturer_id,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {username}")


@demo_cli.command("create")
@click.option("--host", default="http://127.0.0.1:5000")
def demo_create(host: str) -> None:
    """Create the demo accounts and class (idempotent) and print how to log in."""
    from backend.demo import create_demo, describe_demo

    summary = create_demo()
    db.session.commit()
    click.echo(describe_demo(summary, host))


def register_cli(app: Flask) -> None:
    for group in (plan_cli, users_cli, demo_cli):
        app.cli.add_command(group)
