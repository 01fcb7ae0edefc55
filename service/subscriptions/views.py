"""Placeholder routes the mail footer links to; the subscriptions issue fills them in."""

from flask import Blueprint, render_template

bp = Blueprint("subscriptions", __name__)


@bp.get("/")
def landing():
    return render_template("error.html", title="Turnabout", message="Reverse mentoring by email.")


@bp.get("/p/<token>")
def preferences(token: str):
    return render_template("error.html", title="Preferences", message="Coming soon.")


@bp.route("/u/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    return render_template("error.html", title="Unsubscribe", message="Coming soon.")
