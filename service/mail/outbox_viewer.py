"""/dev/outbox: read the outbox transport's .eml files in a browser (development only)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("outbox_viewer", __name__, url_prefix="/dev/outbox")


def _outbox() -> Path:
    return Path(current_app.config["OUTBOX_DIR"])


def _read(path: Path):
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)


@bp.get("/")
def index():
    files = sorted(_outbox().glob("*.eml"), reverse=True)[:200]
    messages = []
    for path in files:
        msg = _read(path)
        messages.append(
            {"name": path.stem, "subject": msg["Subject"], "to": msg["To"], "date": msg["Date"]}
        )
    return render_template("dev/outbox.html", messages=messages, outbox=str(_outbox()))


@bp.get("/<name>")
def show(name: str):
    path = _outbox() / f"{name}.eml"
    if "/" in name or name.startswith(".") or not path.is_file():
        abort(404)
    msg = _read(path)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return render_template(
        "dev/outbox_message.html",
        name=name,
        headers=list(msg.items()),
        text=text.get_content() if text else "",
        html=html.get_content() if html else "",
    )
