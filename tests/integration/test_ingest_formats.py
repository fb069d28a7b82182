"""Ingest end to end on real files of every format: read, clean, detect the language."""

from __future__ import annotations

import gzip
import json
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crimewire.clean import clean_article
from crimewire.language import detect_language
from crimewire.readers import iter_articles, read_file
from crimewire.records import Article, ReadError

PAGE_ES = """<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<title>Rescatan a 31 personas secuestradas | Noticias del Golfo</title>
<meta property="og:url" content="https://golfo.example/seguridad/rescate-31">
<meta property="article:published_time" content="2024-08-14T09:30:00-06:00"></head>
<body><header><nav><a href="/">Inicio</a> <a href="/seguridad">Seguridad</a>
<a href="/deportes">Deportes</a></nav></header>
<article><h1>Rescatan a 31 personas secuestradas en una bodega</h1>
<p>Elementos de la Guardia Nacional rescataron este martes a 31 personas que permanecían privadas de la
libertad en una bodega del municipio costero, informó la fiscalía estatal en un comunicado.</p>
<p>Lea también: Inauguran un nuevo mercado de artesanías en el malecón</p>
<p>Entre las víctimas había doce mujeres y cinco menores de edad, todos originarios de países
centroamericanos, según la dependencia, que detuvo además a dos presuntos custodios.</p>
<p>Síguenos en Google Noticias para enterarte de todo</p>
</article><footer>Todos los derechos reservados Noticias del Golfo</footer></body></html>
"""

PAGE_EN = """<html lang="en"><head><title>Port police seize cocaine in banana boxes</title></head>
<body><article><h1>Port police seize cocaine in banana boxes</h1>
<p>Port police found 850 kilograms of cocaine hidden in a shipment of banana boxes bound for Europe,
the customs agency said on Thursday, adding that two dock workers had been detained.</p>
<p>The drugs had an estimated street value of more than 40 million dollars, officials said.</p>
</article></body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Diario de la Frontera</title><link>https://frontera.example</link><language>es-MX</language>
<item><title>Detienen a tres por extorsión</title><link>https://frontera.example/n/1</link>
<guid>https://frontera.example/n/1</guid><pubDate>Tue, 05 Mar 2024 21:30:00 -0600</pubDate>
<description><![CDATA[<p>La policía municipal detuvo a tres hombres acusados de extorsionar a comerciantes
del mercado central.</p><p>Los detenidos fueron trasladados a la fiscalía.</p>]]></description></item>
<item><title>Sin texto</title><link>https://frontera.example/n/2</link><description></description></item>
<item><title>Decomisan armas</title><link>https://frontera.example/n/3</link>
<content:encoded><![CDATA[<p>Soldados decomisaron 40 armas largas en un rancho.</p>]]></content:encoded>
<description>Resumen corto</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Harbour Times</title>
<id>urn:harbour</id><updated>2023-11-02T12:00:00Z</updated>
<entry><title>Smuggling ring dismantled</title><id>urn:harbour:1</id>
<link href="https://harbour.example/1"/><updated>2023-11-02T12:00:00Z</updated>
<published>2023-11-01T08:00:00Z</published>
<content type="html">&lt;p&gt;Police dismantled a smuggling ring operating from the old harbour
and arrested seven people, the force said.&lt;/p&gt;</content></entry>
</feed>
"""


def _http(body: bytes, content_type: str, status: str = "200 OK") -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def write_warc(path: Path, gzipped: bool) -> None:
    """Records: warcinfo, HTML, image, request, HTML (no date in page), redirect, HTML."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)

        def write(record: Any) -> None:
            writer.write_record(record)
            record.raw_stream.close()  # warcio spools payloads to a temporary file

        write(writer.create_warcinfo_record(path.name, {"software": "test"}))

        def response(url: str, body: bytes, ctype: str, date_: str, status: str = "200 OK") -> None:
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=_http(body, ctype, status),
                warc_headers_dict={"WARC-Date": date_},
            )
            write(record)

        response(
            "https://golfo.example/seguridad/rescate-31",
            PAGE_ES.encode(),
            "text/html; charset=utf-8",
            "2024-08-15T00:00:00Z",
        )
        response(
            "https://golfo.example/logo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "image/png",
            "2024-08-15T00:00:01Z",
        )
        request = writer.create_warc_record(
            "https://harbour.example/2",
            "request",
            payload=BytesIO(b"GET /2 HTTP/1.1\r\n\r\n"),
            warc_headers_dict={"WARC-Date": "2023-05-06T00:00:00Z"},
        )
        write(request)
        response("https://harbour.example/2", PAGE_EN.encode(), "text/html", "2023-05-06T07:08:09Z")
        response(
            "https://harbour.example/old", b"", "text/html", "2023-05-06T07:08:10Z", "301 Moved Permanently"
        )


def break_after_first_html(path: Path) -> None:
    """Insert bytes that are no WARC record after the second record."""
    from warcio.archiveiterator import ArchiveIterator

    data = path.read_bytes()
    with path.open("rb") as f:
        it = ArchiveIterator(f)
        offsets = []
        for _ in it:
            offsets.append(it.get_record_offset())
    cut = offsets[2]
    path.write_bytes(data[:cut] + b"THIS IS NOT A WARC RECORD\r\n\r\n" + data[cut:])


@pytest.mark.parametrize("gzipped", [True, False])
def test_warc_html_responses_only_and_broken_record(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzipped)
    break_after_first_html(path)
    items = list(read_file(path))
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, ReadError)]
    assert [a.url for a in arts] == [
        "https://golfo.example/seguridad/rescate-31",
        "https://harbour.example/2",
    ]
    es, en = arts
    assert es.published == date(2024, 8, 14)  # the page's own date wins over WARC-Date
    assert en.published == date(2023, 5, 6)  # no date in the page: WARC-Date
    assert es.lang == "es" and en.lang == "en"
    assert "rescataron este martes a 31 personas" in es.text
    assert es.origin == f"{path}#record-2"
    assert len(errs) == 1
    assert errs[0].origin == f"{path}#record-3"
    assert errs[0].reason.startswith("broken WARC record")


def test_rss_and_atom_feeds(tmp_path: Path) -> None:
    (tmp_path / "frontera.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "harbour.xml").write_text(ATOM, encoding="utf-8")  # .xml: sniffed as a feed
    items = list(iter_articles([tmp_path]))
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, ReadError)]
    assert [a.title for a in arts] == [
        "Detienen a tres por extorsión",
        "Decomisan armas",
        "Smuggling ring dismantled",
    ]
    first, second, atom = arts
    assert first.text == (
        "La policía municipal detuvo a tres hombres acusados de extorsionar a comerciantes\n"
        "del mercado central.\n\nLos detenidos fueron trasladados a la fiscalía."
    )
    assert first.published == date(2024, 3, 5)  # the publisher's day, not UTC's (March 6)
    assert first.url == "https://frontera.example/n/1"
    assert first.lang == "es"
    assert first.outlet == "Diario de la Frontera"
    assert second.text == "Soldados decomisaron 40 armas largas en un rancho."  # content beats summary
    assert second.published is None
    assert atom.published == date(2023, 11, 1)
    assert atom.url == "https://harbour.example/1"
    assert "<p>" not in atom.text and "arrested seven" in atom.text
    assert [e.origin for e in errs] == [f"{tmp_path / 'frontera.rss'}#entry-2"]


def test_jsonl_gz_streams_and_keeps_going(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Police arrested two men.", "date": "2022-02-02", "lang": "en"}),
        "{not json",
        json.dumps(
            {
                "maintext": "La policía detuvo a dos hombres.",
                "date_publish": "2022-02-03 08:00:00",
                "language": "es",
                "source_domain": "ejemplo.example",
            }
        ),
    ]
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    items = list(iter_articles([str(tmp_path / "*.jsonl.gz")]))
    assert [type(x).__name__ for x in items] == ["Article", "ReadError", "Article"]
    assert items[1].origin == f"{path}:2"
    assert items[2].published == date(2022, 2, 3)


def test_ingest_a_mixed_folder_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE_ES, encoding="utf-8")
    (tmp_path / "011.txt").write_text(
        " date 2024-01-09 Police in the capital arrested nine members of a gang accused of extortion, "
        "officials said.\n\n(Also read: Stocks close higher on tech rally)\n\nThe detainees were "
        "handed to prosecutors.\n\nAFP\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.bin").write_bytes(b"\x00\x01\x02")  # unknown type in a folder: skipped
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    results = []
    for item in iter_articles([tmp_path]):
        if isinstance(item, ReadError):
            results.append(("error", item.reason))
            continue
        clean = detect_language(clean_article(item))
        results.append((clean.lang, clean.text))
    assert results[0][0] == "en"
    assert "Also read" not in results[0][1] and "AFP" not in results[0][1]
    assert results[0][1].startswith("Police in the capital arrested nine members")
    assert results[1] == ("error", "empty file")
    lang, text = results[2]
    assert lang == "es"
    assert "rescataron este martes a 31 personas" in text
    assert "Lea también" not in text and "Síguenos" not in text
    assert len(results) == 3
