"""The admin console stays English, but its strings go through the catalogue (issue 15):
extracting the admin templates and views finds them, and the committed template has them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "service" / "translations" / "messages.pot"
# The same options as babel.cfg, which `make messages` uses.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


def _extracted(directory: str, pattern: str, method: str, options: dict) -> set[str]:
    found = extract_from_dir(
        ROOT / directory, method_map=[(pattern, method)], options_map={pattern: options}
    )
    # A plural entry comes as (singular, plural); the catalogue is keyed by the singular.
    return {m[0] if isinstance(m, tuple) else m for _f, _l, m, _c, _ctx in found}


def test_admin_templates_and_views_are_extracted_into_the_committed_catalogue():
    templates = _extracted("service/templates/admin", "*.html", "jinja2", JINJA_OPTIONS)
    views = _extracted("service/admin", "**.py", "python", {})
    assert {"Is it working?", "Sign in to the admin console", "Delivery health"} <= templates
    assert {"Programme settings saved.", "Theme “%(name)s” created."} <= views
    with POT.open("rb") as handle:
        catalogue = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle)}
    missing = (templates | views) - catalogue
    assert not missing, f"run `make messages`: {sorted(missing)[:5]}"
