"""`flask reminders tick` (one round) and `flask reminders run` (the scheduler process)."""

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from backend.reminders.logic import off_notice
from backend.reminders.schedule import run_forever, run_round

reminders_cli = AppGroup("reminders", help="WeChat reminders and timed work (the scheduler).")


@reminders_cli.command("tick")
def tick() -> None:
    """Run one round now: close expired surveys, queue and send the reminders due."""
    if notice := off_notice():
        click.echo(notice)
    outcomes = run_round()
    click.echo(
        " ".join(f"{name}={count}" for name, count in sorted(outcomes.items())) or "nothing due"
    )


@reminders_cli.command("run")
@click.option("--interval", type=float, help="seconds between rounds (REMINDERS_INTERVAL_SECONDS)")
def run(interval: float | None) -> None:
    """Run rounds until stopped (SIGTERM): the scheduler's own process."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if notice := off_notice():
        click.echo(notice)
    run_forever(interval or current_app.config["REMINDERS_INTERVAL_SECONDS"])
