"""Admin CSV import: a field over csv's 128 KB limit is a clear 400 naming the line, not
a 500, and nothing is imported."""

from __future__ import annotations

import pytest
from test_admin_people import admin, counts, upload  # noqa: F401

from service.admin.csv_import import ImportProblem, check


def test_a_huge_field_names_its_line_and_imports_nothing(ctx, admin):  # noqa: F811
    huge = "x" * (130 * 1024)
    text = f"email,name\nana@example.org,Ana\nbo@example.org,{huge}\n"
    before = counts()
    response = upload(admin, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Line 3 cannot be read" in page and "128 KB" in page
    assert counts() == before


def test_an_unclosed_quote_is_reported_at_the_line_it_swallows(ctx):
    rows = "".join(f"p{n}@example.org,Person {n}\n" for n in range(2000))
    text = f'email,name\nana@example.org,"Ana\n{rows}' + "y" * (130 * 1024) + "\n"
    with pytest.raises(ImportProblem, match=r"Line \d+ cannot be read: a field is longer"):
        check(text, theme_slugs={})
