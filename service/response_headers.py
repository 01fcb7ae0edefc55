"""Response headers that several features add to, written without werkzeug's costly paths.

`"Vary" in response.headers` raises and catches werkzeug's BadRequestKeyError (an HTTP
exception, built with its description) when the header is missing, and `response.vary`
parses the header into a set and writes it back: together about 7% of GET /healthz under
gunicorn (py-spy), where the language hook adds to Vary on every public page.
"""

from __future__ import annotations


def add_vary(response, *names: str) -> None:
    """Add `names` to the response's Vary header; set it outright when it is not there yet
    (most responses), merge with it otherwise."""
    if response.headers.getlist("Vary"):
        response.vary.update(names)
    else:
        response.headers["Vary"] = ", ".join(names)
