"""Readers: every format into Article records, every bad input into a ReadError, never a raise."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from crimewire.readers import (
    html_fragment_to_text,
    iter_articles,
    normalize_lang,
    parse_date,
    read_file,
    short_hash,
)
from crimewire.records import Article, ReadError

BODY_EN = (
    "Border police in the port city seized 300 kilos of cocaine hidden in a shipment of bananas, "
    "officials said on Monday.\n\nThree crew members were detained."
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def articles(items: list) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items: list) -> list[ReadError]:
    return [x for x in items if isinstance(x, ReadError)]


# --------------------------------------------------------------------------- plain text


def test_text_date_on_same_line_with_leading_space(tmp_path: Path) -> None:
    p = write(tmp_path / "041.txt", " date 2024-02-03 Border police seized a boat.\n\nMore text.")
    [art] = list(read_file(p))
    assert isinstance(art, Article)
    assert art.id == "041"
    assert art.published == date(2024, 2, 3)
    assert art.text == "Border police seized a boat.\n\nMore text."
    assert art.origin == str(p)


def test_text_date_then_blank_line(tmp_path: Path) -> None:
    p = write(tmp_path / "a7.txt", "date 2019-11-30\n\n" + BODY_EN + "\n")
    [art] = list(read_file(p))
    assert art.published == date(2019, 11, 30)
    assert art.text == BODY_EN
    assert "date" not in art.text[:10]


def test_text_without_date_marker_has_no_date(tmp_path: Path) -> None:
    p = write(tmp_path / "nodate.txt", BODY_EN)
    [art] = list(read_file(p))
    assert art.published is None
    assert art.text == BODY_EN


def test_text_with_impossible_date_keeps_body_and_no_date(tmp_path: Path) -> None:
    p = write(tmp_path / "x.txt", "date 2024-13-45\n\nSome body text here.")
    [art] = list(read_file(p))
    assert art.published is None
    assert art.text == "Some body text here."


def test_text_crlf_is_normalized(tmp_path: Path) -> None:
    p = write(tmp_path / "crlf.txt", b"date 2024-01-02\r\n\r\nLine one.\r\n\r\nLine two.")
    [art] = list(read_file(p))
    assert art.text == "Line one.\n\nLine two."


def test_gzipped_text(tmp_path: Path) -> None:
    p = write(tmp_path / "009.txt.gz", gzip.compress(("date 2022-05-06\n\n" + BODY_EN).encode()))
    [art] = list(read_file(p))
    assert art.id == "009"
    assert art.published == date(2022, 5, 6)
    assert art.text == BODY_EN


# --------------------------------------------------------------------------- bad input


def test_bad_files_become_read_errors_and_the_rest_is_read(tmp_path: Path) -> None:
    write(tmp_path / "a_good.txt", "date 2024-01-01\n\n" + BODY_EN)
    write(tmp_path / "b_empty.txt", "")
    write(tmp_path / "c_blank.txt", "  \n\n ")
    write(tmp_path / "d_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "e_latin1.txt", "date 2024-01-01\n\nEl policía".encode("latin-1"))
    write(tmp_path / "f_good.txt", "Otra noticia sin fecha.")
    items = list(iter_articles([tmp_path]))
    assert [a.id for a in articles(items)] == ["a_good", "f_good"]
    reasons = {Path(e.origin).name: e.reason for e in errors(items)}
    assert reasons["b_empty.txt"] == "empty file"
    assert reasons["c_blank.txt"] == "empty file"
    assert reasons["d_binary.txt"] == "binary file"
    # "date 2024-01-01\n\nEl polic" is 25 bytes: the Latin-1 "í" is byte 25 (from 0).
    assert reasons["e_latin1.txt"] == "invalid UTF-8 at byte 25"


def test_date_line_alone_is_not_an_article(tmp_path: Path) -> None:
    [err] = list(read_file(write(tmp_path / "only.txt", "date 2024-01-01\n\n")))
    assert isinstance(err, ReadError)
    assert "no article text" in err.reason


def test_missing_path_and_unmatched_glob(tmp_path: Path) -> None:
    items = list(iter_articles([tmp_path / "nope.txt", str(tmp_path / "*.nothing")]))
    assert [e.reason for e in errors(items)] == ["no such file or directory", "no file matches this pattern"]


def test_reason_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "bad.jsonl", '{"id": 1, "text": "a\n')
    for item in iter_articles([tmp_path]):
        assert isinstance(item, ReadError)
        assert "\n" not in item.reason


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_our_fields_and_news_please_fields(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "n1",
                "url": "https://ex.org/n1",
                "title": "T",
                "date": "2024-03-05",
                "lang": "en",
                "text": BODY_EN,
            }
        ),
        json.dumps(
            {
                "maintext": "La policía detuvo a tres hombres.",
                "date_publish": "2023-12-29 10:00:00",
                "language": "es",
                "source_domain": "diario.example",
                "title": "Detenidos",
                "url": "https://diario.example/x",
            }
        ),
    ]
    p = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    first, second = list(read_file(p))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.url, first.title, first.published, first.lang) == (
        "n1",
        "https://ex.org/n1",
        "T",
        date(2024, 3, 5),
        "en",
    )
    assert first.origin == f"{p}:1"
    assert second.text == "La policía detuvo a tres hombres."
    assert second.published == date(2023, 12, 29)
    assert second.lang == "es"
    assert second.outlet == "diario.example"
    assert second.id == short_hash("https://diario.example/x")
    assert second.origin == f"{p}:2"


def test_jsonl_id_falls_back_to_text_hash_and_is_stable(tmp_path: Path) -> None:
    p = write(tmp_path / "x.jsonl", json.dumps({"text": "Un texto sin url."}) + "\n")
    [a] = list(read_file(p))
    [b] = list(read_file(p))
    assert a.id == b.id == short_hash("Un texto sin url.")
    assert len(a.id) == 12


def test_jsonl_broken_line_names_file_and_line_and_others_still_read(tmp_path: Path) -> None:
    content = (
        json.dumps({"id": "1", "text": "first"})
        + "\n"
        + '{"id": "2", "text": "cut off\n'
        + "\n"
        + json.dumps({"id": "3", "text": "third"})
        + "\n"
        + "[1, 2]\n"
        + json.dumps({"id": "5", "title": "no text"})
        + "\n"
    )
    p = write(tmp_path / "mixed.jsonl", content)
    items = list(read_file(p))
    assert [a.id for a in articles(items)] == ["1", "3"]
    errs = errors(items)
    assert errs[0].origin == f"{p}:2"
    assert errs[0].reason.startswith("broken JSON on line 2")
    assert errs[1].origin == f"{p}:5" and "not a JSON object" in errs[1].reason
    assert errs[2].origin == f"{p}:6" and "no article text" in errs[2].reason


def test_jsonl_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    good = (json.dumps({"id": "1", "text": "ok"}) + "\n").encode()
    p = write(tmp_path / "enc.jsonl", good + b'{"id": "2", "text": "caf\xe9"}\n')
    items = list(read_file(p))
    assert [a.id for a in articles(items)] == ["1"]
    [err] = errors(items)
    assert err.origin == f"{p}:2"
    before_bad = len(good) + len(b'{"id": "2", "text": "caf')
    assert err.reason == f"invalid UTF-8 at byte {before_bad}"


def test_json_array_file(tmp_path: Path) -> None:
    p = write(tmp_path / "arr.json", json.dumps([{"id": "a", "text": "uno"}, {"id": "b", "text": "dos"}]))
    assert [a.id for a in articles(list(read_file(p)))] == ["a", "b"]


def test_single_json_object_takes_the_file_stem(tmp_path: Path) -> None:
    p = write(tmp_path / "story.json", json.dumps({"text": "uno", "date": "2020-01-02"}, indent=2))
    [a] = list(read_file(p))
    assert a.id == "story"
    assert a.published == date(2020, 1, 2)


# --------------------------------------------------------------------------- finding files


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "two")
    write(tmp_path / "a" / "z.txt", "zed")
    write(tmp_path / "a" / "sub" / "1.txt", "one")
    write(tmp_path / "c.txt", "cee")
    write(tmp_path / ".hidden" / "h.txt", "hidden")
    write(tmp_path / "notes.md", "not an article type")
    write(tmp_path / "img.png", b"\x89PNG\x00")
    ids = [a.id for a in iter_articles([tmp_path])]
    assert ids == ["1", "z", "2", "c"]


def test_glob_patterns_and_duplicates(tmp_path: Path) -> None:
    write(tmp_path / "x1.txt", "one")
    write(tmp_path / "x2.txt", "two")
    write(tmp_path / "y.txt", "why")
    items = list(iter_articles([str(tmp_path / "x*.txt"), tmp_path / "x1.txt"]))
    assert [a.id for a in items] == ["x1", "x2"]


def test_unknown_extension_named_explicitly_is_sniffed(tmp_path: Path) -> None:
    p = write(tmp_path / "article.dat", "date 2021-04-05\n\nSniffed as plain text.")
    [a] = list(read_file(p))
    assert a.published == date(2021, 4, 5)
    p2 = write(
        tmp_path / "records.dat",
        json.dumps({"id": "q", "text": "t"}) + "\n" + json.dumps({"id": "r", "text": "u"}) + "\n",
    )
    assert [a.id for a in read_file(p2)] == ["q", "r"]


def test_broken_gzip_is_a_read_error(tmp_path: Path) -> None:
    data = gzip.compress(b"date 2024-01-01\n\n" + BODY_EN.encode() * 20)
    p = write(tmp_path / "cut.txt.gz", data[: len(data) // 2])
    [err] = list(read_file(p))
    assert isinstance(err, ReadError)
    assert "gzip" in err.reason


# --------------------------------------------------------------------------- HTML, feeds (small)


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html lang="es-MX"><head><title>Detienen a cinco | Diario Ejemplo</title>
    <meta property="og:url" content="https://diario.example/nota/5">
    <meta property="article:published_time" content="2024-06-07T08:00:00-06:00"></head>
    <body><nav><a href="/">Inicio</a> <a href="/deportes">Deportes</a></nav>
    <article><h1>Detienen a cinco presuntos extorsionadores</h1>
    <p>Agentes de la policía estatal detuvieron este jueves a cinco presuntos integrantes de una banda
    dedicada a la extorsión de comerciantes en el centro de la ciudad.</p>
    <p>Los detenidos fueron puestos a disposición de la fiscalía, que investiga al menos doce denuncias.</p>
    </article><footer>Aviso de privacidad</footer></body></html>"""
    p = write(tmp_path / "page.html", page)
    [a] = list(read_file(p))
    assert isinstance(a, Article)
    assert a.id == "page"  # a page read from a file is named by the file, like a .txt
    assert "detuvieron este jueves a cinco" in a.text
    assert "Deportes" not in a.text
    assert a.published == date(2024, 6, 7)
    assert a.url == "https://diario.example/nota/5"
    assert a.lang == "es"
    assert a.title and "Detienen a cinco" in a.title


def test_html_without_main_text(tmp_path: Path) -> None:
    p = write(tmp_path / "empty.htm", "<html><body><nav>Menu</nav></body></html>")
    [err] = list(read_file(p))
    assert isinstance(err, ReadError)
    assert err.reason == "HTML with no main text"


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    p = write(tmp_path / "data.xml", '<?xml version="1.0"?><inventory><item>1</item></inventory>')
    [err] = list(read_file(p))
    assert isinstance(err, ReadError)
    assert "neither" in err.reason


def test_html_fragment_to_text_keeps_paragraphs() -> None:
    text = html_fragment_to_text("<p>Uno &amp; dos.</p><p>Tres<br>cuatro</p><script>x()</script>")
    assert text == "Uno & dos.\n\nTres\ncuatro"
    assert html_fragment_to_text("plain &eacute;") == "plain é"


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-12-29", date(2023, 12, 29)),
        ("2023-12-29 10:00:00", date(2023, 12, 29)),
        ("2023-12-29T10:00:00Z", date(2023, 12, 29)),
        ("29/12/2023", None),
        ("2023-02-30", None),
        (None, None),
        (20231229, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_normalize_lang() -> None:
    assert normalize_lang("es-ES") == "es"
    assert normalize_lang("EN_us") == "en"
    assert normalize_lang("spa") is None
    assert normalize_lang(None) is None
