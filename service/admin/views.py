"""The admin blueprint. Its views live in small modules by area; importing this module
imports them all so every route is registered on `bp`."""

from service.admin import (  # noqa: F401  (each module registers its routes on bp)
    audit,
    auth,
    challenge_preview,
    challenges,
    dashboard,
    delivery,
    people_csv,
    programme,
    rounds,
    schedule,
    subscribers,
    themes,
)
from service.admin.blueprint import bp
from service.admin.impact import views as impact  # noqa: F401  (the Impact report's pages)
from service.admin.library import views as library  # noqa: F401  (the Tips page)

__all__ = ["bp"]
