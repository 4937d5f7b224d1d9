"""The demo page (web/page.py): the clinic's details and Rasa's address, never markup."""

from __future__ import annotations

from web.page import render_page


def test_the_page_names_the_clinic_and_points_the_widget_at_rasa() -> None:
    page = render_page("Riverside Clinic", "+44 20 7946 0000", "https://bot.riverside.example")
    assert "<title>Riverside Clinic – Mesotherapy</title>" in page
    assert "<h1>Riverside Clinic</h1>" in page
    assert page.count("+44 20 7946 0000") == 2  # the intro, and when the chat is down
    assert 'data-rasa-url="https://bot.riverside.example"' in page
    assert 'data-title="Riverside Clinic"' in page
    assert "{{" not in page and "}}" not in page
    assert page.endswith("</html>\n")


def test_markup_in_the_details_shows_as_text() -> None:
    page = render_page("<script>alert(1)</script>", "<b>0</b>", 'https://x/"+alert(2)+"')
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>0</b>" not in page
    assert '"+alert(2)+"' not in page, "Rasa's address must not end the script's string"


def test_template_syntax_in_the_details_is_not_run() -> None:
    page = render_page("{{ 7 * 7 }}", "{% if 1 %}yes{% endif %}", "x")
    assert "<h1>{{ 7 * 7 }}</h1>" in page and "<h1>49</h1>" not in page
    assert "{% if 1 %}yes{% endif %}" in page
