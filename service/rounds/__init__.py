"""The weekly round: content, schedule, pairing, dispatch, threaded emails, answers.

content.py   seed the starter library; challenge rendered once per round
schedule.py  the challenge of each week (admin schedule or rotation)
planning.py  participants -> pairing engine (pairing.py) -> stored pairs; reassignment
plan_preview.py  who would be paired and why (a pure read)
pairing.py   the pairing engine's API; pairing_score.py, pairing_candidates.py and
             pairing_solver.py are its scores, sparse candidates and solver
dispatch.py  the hourly job: pair, then queue challenges (challenge_drafts.py), nudges
             and recaps (followups.py); close rounds
emails.py    every email of the round, declared; answer_links.py their one-click links;
             email_preview.py the admin's live preview
notices.py   single emails inside a thread (help, partner changes)
answers.py   one-click answers and their side effects
views.py     /a/<token>
commands.py  turnabout seed, turnabout round plan|dispatch|send
"""

from flask import Flask


def init_app(app: Flask) -> None:
    # Here, not at the top: importing the package for its models must not load its views.
    from service.rounds import emails  # noqa: F401  (declares the round's email kinds)
    from service.rounds.views import bp

    app.register_blueprint(bp)
