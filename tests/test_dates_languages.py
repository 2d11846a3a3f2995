"""Visible date lines beyond English: other languages' month names, non-ASCII digits, and the
Solar Hijri (Jalali) calendar of Persian-language outlets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.clean.dates import find_dates, parse_visible_date
from tasks.clean.extraction import parse_html


def day(text: str, persian: bool = False) -> str | None:
    dt = parse_visible_date(text, persian)
    return dt.date().isoformat() if dt else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("publié le 3 mars 2026 à 10h12", "2026-03-03"),
        ("Mis en ligne le 14 fevrier 2021", "2021-02-14"),
        ("Veröffentlicht am 3. März 2026, 08:15 Uhr", "2026-03-03"),
        ("Publicado el 7 de noviembre de 2024", "2024-11-07"),
        ("Actualizado 9 de septiembre del 2020, 10:30", "2020-09-09"),
        ("Pubblicato il 21 settembre 2023", "2023-09-21"),
        ("Publicado em 5 de outubro de 2025", "2025-10-05"),
        ("Gepubliceerd op 12 maart 2022", "2022-03-12"),
        ("Опубликовано 29 июня 2020, 18:40", "2020-06-29"),
        ("Опубліковано 4 листопада 2021", "2021-11-04"),
        ("Opublikowano 5 października 2020", "2020-10-05"),
        ("Yayınlanma: 15 Ağustos 2020", "2020-08-15"),
        ("نشر في ٢ يوليو ٢٠٢٠", "2020-07-02"),
        ("الاثنين 12 تشرين الأول 2020", "2020-10-12"),
        ("פורסם 17 באוגוסט 2020", "2020-08-17"),
        ("২ মার্চ ২০২০ 16 March 2020", "2020-03-16"),  # unknown Bengali name, then English
    ],
)
def test_month_names_in_common_news_languages(text: str, expected: str) -> None:
    assert day(text) == expected


def test_a_hijri_lunar_date_is_passed_over_for_the_gregorian_one_beside_it() -> None:
    assert day("الخميس 11 ذو القعدة 1441 - 2 يوليو 2020") == "2020-07-02"
    assert day("1441/11/11") is None  # read as Jalali it lies decades ahead: not a date


def test_jalali_dates_with_persian_and_arabic_indic_digits() -> None:
    # Persian digits, and the Arabic yeh many Persian sites type in month names (تير)
    assert day("دوشنبه ۲ تير ۱۳۹۹") == "2020-06-22"
    assert day("۱۵ مهر ۱۴۰۲ - ۱۰:۳۰") == "2023-10-07"
    assert day("٢٩ اسفند ١٤٠٢") == "2024-03-19"  # Arabic-Indic digits
    assert day("1 فروردین 1403") == "2024-03-20"  # Nowruz
    assert day("۲۶ سرطان ۱۴۰۰") == "2021-07-17"  # Dari month names (Afghanistan)
    # year-first numbers are Jalali only on a Persian page
    assert day("۱۳۹۹/۰۴/۰۲") == "2020-06-22"
    assert day("1399/04/02", persian=True) == "2020-06-22"
    assert day("1399/04/02") is None
    assert day("2020/06/22 10:00") == "2020-06-22"
    assert day("۳۱ اسفند ۱۴۰۲") is None  # 1402 is not a leap year: no 31 Esfand


def test_persian_page_date_line_under_the_headline() -> None:
    html = (
        '<html lang="fa" dir="rtl"><head><title>خبر</title></head><body><main>'
        "<div class='top'>امروز: شنبه ۱۰ شهریور ۱۴۰۳</div>"
        "<article><h1>عنوان خبر</h1><div class='info'>"
        "<span class='date-created'>۸ شهریور ۱۴۰۳ - ۰۹:۱۵</span></div>"
        "<p>متن خبر.</p></article></main></body></html>"
    )
    tree = parse_html(html)
    assert tree is not None
    pub, _ = find_dates(tree, "https://news.example.ir/news/12345", use_htmldate=False)
    assert pub == datetime(2024, 8, 29, 9, 15, tzinfo=UTC)
    numeric = html.replace("۸ شهریور ۱۴۰۳ - ۰۹:۱۵", "1403/06/08")
    tree = parse_html(numeric)
    assert tree is not None
    pub, _ = find_dates(tree, "https://news.example.ir/news/12345", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2024-08-29"


def test_french_page_date_line_and_updated_line_is_skipped() -> None:
    html = (
        '<html lang="fr"><body><article><h1>Titre</h1>'
        "<p class='published'>Publié le 3 mars 2026 à 10h12</p>"
        "<p class='date'>Mis à jour le 5 mars 2026</p>"
        "<p>Texte de l'article.</p></article></body></html>"
    )
    tree = parse_html(html)
    assert tree is not None
    pub, _ = find_dates(tree, "https://journal.example.fr/article", use_htmldate=False)
    assert pub is not None and pub.date().isoformat() == "2026-03-03"


def test_words_that_are_not_months_give_no_date() -> None:
    for text in ("3 trucs 2020", "le 12 du mois 2020", "۵ کتاب ۱۳۹۹", "Room 12 Level 2020"):
        assert parse_visible_date(text) is None
