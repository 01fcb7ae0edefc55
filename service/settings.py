"""Programme settings that admins edit through a form; defaults live here in code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from service.content_cache import cached, watch
from service.database import Model
from service.extensions import db


class Setting(Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict] = mapped_column()  # {"v": value}, so any JSON value fits


@dataclass(frozen=True)
class SettingSpec:
    default: object
    label: str  # a lazy catalogue string, written in the reader's language when shown
    minimum: int | None = None
    maximum: int | None = None
    # A value from a fixed list that comes from the configuration (e.g. "LANGUAGES").
    choices_config: str | None = None


SPECS: dict[str, SettingSpec] = {
    "programme_name": SettingSpec("Turnabout", _l("Programme name")),
    "sender_name": SettingSpec("Turnabout", _l("Sender name")),
    "default_language": SettingSpec("en", _l("Default language"), choices_config="LANGUAGES"),
    "send_weekday": SettingSpec(0, _l("Send weekday (0 = Monday)"), 0, 6),
    "send_hour": SettingSpec(9, _l("Local send hour"), 0, 23),
    "giver_capacity": SettingSpec(1, _l("Learners per tip-giver"), 1, 5),
    "no_repeat_window": SettingSpec(12, _l("Weeks before a pair may repeat"), 0, 52),
    "prefer_same_language": SettingSpec(
        0, _l("Prefer pairs who read the same language (1 = yes, 0 = no)"), 0, 1
    ),
    "keep_partner_weeks": SettingSpec(
        4, _l("Weeks a pair may stay together in a row (0 = off)"), 0, 12
    ),
    "checkin_every_weeks": SettingSpec(4, _l("Ask learners about confidence every (weeks)"), 1, 26),
    "nudge_after_hours": SettingSpec(48, _l("Nudge a tip-giver after (hours)"), 12, 120),
    "recap_day": SettingSpec(5, _l("Recap on day (1 = send day)"), 2, 7),
    "retention_days": SettingSpec(180, _l("Keep relayed message bodies for (days)"), 7, 3650),
    "relay_limit_per_day": SettingSpec(20, _l("Relayed messages per pair per day"), 1, 200),
}


def get_setting(key: str):
    """One setting; a web request reads them from this process's copy (content_cache),
    a job inside read_once() from the copy it read when it started."""
    return cached("settings", all_settings)[key]


def all_settings() -> dict:
    """Every setting, read from the database (inside read_once(), the job's copy)."""
    copy = g.get(_JOB_COPY) if has_app_context() else None
    if copy is not None:
        return dict(copy)
    stored = {row.key: row.value["v"] for row in db.session.scalars(select(Setting))}
    return {key: stored.get(key, spec.default) for key, spec in SPECS.items()}


_JOB_COPY = "settings_read_once"


@contextmanager
def read_once() -> Iterator[None]:
    """For one job that reads settings for each of many items (the inbound job: a
    thread's subject names the programme, the relay limit, each delivery's sender): every
    read inside comes from one copy, read when it starts (jobs have no content_cache,
    which serves web requests). A change an admin saves applies from the next job, seconds
    later; set_setting() in the job itself is read back at once."""
    outermost = _JOB_COPY not in g
    if outermost:
        g.setdefault(_JOB_COPY, all_settings())
    try:
        yield
    finally:
        if outermost:
            g.pop(_JOB_COPY, None)


def set_setting(key: str, value) -> None:
    """Stores a value; the caller validates it and commits."""
    if key not in SPECS:
        raise KeyError(f"unknown setting {key!r}")
    g.pop("programme_language", None)  # service.i18n keeps it for the request or job
    g.pop(_JOB_COPY, None)  # read the database again, with the change
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value={"v": value}))
    else:
        row.value = {"v": value}


watch(Setting)
