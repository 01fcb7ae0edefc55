"""The weekly round: content, schedule, pairing, dispatch, threaded emails, answers.

weeks.py     ISO weeks and each person's local send moment
content.py   seed the starter library; challenge rendered once per round
schedule.py  the challenge of each week (admin schedule or rotation)
planning.py  participants -> pairing engine (pairing.py) -> stored pairs; reassignment
dispatch.py  the hourly job: pair, then queue challenges, nudges, recaps; close rounds
bulk.py      set-based queueing of many emails
emails.py    every email of the round, declared; the admin preview
notices.py   single emails inside a thread (help, partner changes)
answers.py   one-click answers and their side effects
views.py     /a/<token>
commands.py  turnabout seed, turnabout round plan|dispatch|send
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.rounds import emails  # noqa: F401  (declares the round's email kinds)
    from service.rounds.views import bp

    app.register_blueprint(bp)
