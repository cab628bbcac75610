"""Command line: `flask --app backend plan load 2023`, `users create`, `demo create`."""

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError

from backend.accounts.logic import create_account
from backend.accounts.schemas import AccountSchema
from backend.auth.models import Role
from backend.core.errors import ApiError, flatten_messages
from backend.core.transaction import cli_task
from backend.extensions import db
from backend.plans.logic import PLANS, load_plan
from backend.plans.models import Unit
from backend.reminders.cli import reminders_cli

plan_cli = AppGroup("plan", help="The annual plan (附件1).")
users_cli = AppGroup("users", help="Staff accounts.")
demo_cli = AppGroup("demo", help="The demo data of `make run`.")


@plan_cli.command("load")
@click.argument("year", type=int)
@cli_task
def plan_load(year: int) -> str:
    """Load a built-in plan (2023); running it again changes nothing."""
    if year not in PLANS:
        raise click.BadParameter(f"no built-in plan for {year}; known: {sorted(PLANS)}")
    added = load_plan(year)
    return f"plan {year}: {added} projects added"


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", required=True)
@click.option("--unit", "unit_name", help="host unit name (organizers)")
@click.option("--lecturer-id", type=int, help="lecturer id (lecturer accounts)")
@click.option("--name", "full_name", default="", help="the person's name (姓名)")
@cli_task
def users_create(
    username: str,
    role: str,
    password: str,
    unit_name: str | None,
    lecturer_id: int | None,
    full_name: str,
) -> str:
    """Create a staff account, by the same rules as POST /users."""
    unit = db.session.scalar(db.select(Unit).where(Unit.name == unit_name)) if unit_name else None
    fields = {
        "username": username,
        "password": password,
        "role": role,
        "full_name": full_name,
        "unit_id": unit.id if unit else None,
        "lecturer_id": lecturer_id,
    }
    if unit_name and unit is None:
        raise click.ClickException(f"unit_id: 承办单位不存在（{unit_name}）")
    try:
        create_account(AccountSchema().load(fields))
    except ValidationError as error:
        raise click.ClickException(_described(flatten_messages(error.messages))) from error
    except ApiError as error:
        raise click.ClickException(_described(error.fields or {"_": [error.message]})) from error
    return f"created {role} {username}"


def _described(problems: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {'，'.join(messages)}" for name, messages in problems.items())


@demo_cli.command("create")
@click.option("--host", default="http://127.0.0.1:5000")
@cli_task
def demo_create(host: str) -> str:
    """Create the demo accounts and class (idempotent) and print how to log in."""
    from backend.demo import create_demo, describe_demo

    return describe_demo(create_demo(), host)


def register_cli(app: Flask) -> None:
    for group in (plan_cli, users_cli, demo_cli, reminders_cli):
        app.cli.add_command(group)
