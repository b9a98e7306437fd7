"""The paper sign-in sheet of a session, as an A4 PDF to print when phones fail.

Every page repeats the session's header (training, session, date and time in the cohort's
zone, venue, trainers) and the table's column titles, and ends with a footer line and
"page x of y". Participants are numbered by name; a few empty rows take walk-ins. Texts
follow the active language; the DejaVu fonts render any Indonesian name.
"""

import datetime as dt
import io
from collections.abc import Callable
from functools import partial

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cohorts import zones
from cohorts.pdf import register_fonts
from cohorts.selectors.session_log import SignInSheet

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
FOOTER_SPACE = 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# No. | name | organization | arrived | signature
COLUMN_WIDTHS = [12 * mm, 60 * mm, 36 * mm, 20 * mm, CONTENT_WIDTH - 128 * mm]
ROW_HEIGHT = 11 * mm
WALK_IN_ROWS = 6


def _escape(text: str) -> str:
    """Paragraph text is markup: a name with "&" or "<" must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Styles:
    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16)
        self.subtitle = ParagraphStyle("subtitle", fontName=bold, fontSize=11, leading=14)
        self.line = ParagraphStyle("line", fontName=regular, fontSize=9, leading=12)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11)
        self.head = ParagraphStyle("head", fontName=bold, fontSize=9, leading=11)


def _header_paragraphs(sheet: SignInSheet, styles: _Styles) -> list[Paragraph]:
    event = sheet.event
    when = "{day} · {start}–{end} {zone}".format(
        day=formats.date_format(event.day, "l, j F Y"),
        start=event.start_time.strftime("%H:%M"),
        end=event.end_time.strftime("%H:%M"),
        zone=event.zone,
    )
    place = [sheet.venue] if sheet.venue else []
    if sheet.session.room:
        place.append(_("Room: %(room)s") % {"room": sheet.session.room})
    trainers = ", ".join(sheet.trainers) or "—"
    lines = [
        Paragraph(_escape(_("Sign-in sheet")) + " · " + _escape(sheet.cohort.title), styles.title),
        Paragraph(_escape(sheet.session.title), styles.subtitle),
        Paragraph(_escape(when), styles.line),
    ]
    if place:
        lines.append(Paragraph(_escape(" · ".join(place)), styles.line))
    lines.append(Paragraph(_escape(_("Trainers: %(names)s") % {"names": trainers}), styles.line))
    if sheet.organizers:
        organizers = " & ".join(sheet.organizers)
        lines.append(
            Paragraph(_escape(_("Organized by %(names)s") % {"names": organizers}), styles.line)
        )
    return lines


def _header_height(paragraphs: list[Paragraph]) -> float:
    return sum(paragraph.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] for paragraph in paragraphs)


def _table(sheet: SignInSheet, styles: _Styles, walk_in_rows: int) -> Table:
    titles = [_("No."), _("Name"), _("Organization"), _("Arrived"), _("Signature")]
    data: list[list] = [[Paragraph(_escape(title), styles.head) for title in titles]]
    data.extend(
        [
            str(row.number),
            Paragraph(_escape(row.name), styles.cell),
            Paragraph(_escape(row.organization), styles.cell),
            "",
            "",
        ]
        for row in sheet.rows
    )
    note = _("Not on the list? Write your name and organization in an empty row.")
    data.append([Paragraph(_escape(note), styles.cell), "", "", "", ""])
    first_blank = len(sheet.rows) + 1
    data.extend(
        [str(number), "", "", "", ""] for number in range(first_blank, first_blank + walk_in_rows)
    )
    note_row = len(sheet.rows) + 1
    table = Table(
        data,
        colWidths=COLUMN_WIDTHS,
        rowHeights=[8 * mm] + [ROW_HEIGHT] * (len(data) - 1),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.regular, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("SPAN", (0, note_row), (-1, note_row)),
                ("BACKGROUND", (0, note_row), (-1, note_row), colors.Color(0.96, 0.96, 0.96)),
            ]
        )
    )
    return table


def _signature_line(styles: _Styles) -> Paragraph:
    text = _("Trainer's name and signature:") + " " + "_" * 48
    return Paragraph(_escape(text), styles.line)


def _draw_header(canvas: Canvas, _doc, *, paragraphs: list[Paragraph]) -> None:
    top = PAGE_HEIGHT - MARGIN
    for paragraph in paragraphs:
        _width, height = paragraph.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
        top -= height
        paragraph.drawOn(canvas, MARGIN, top)


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end so each can say "page x of y"."""

    def __init__(self, *args, footer: str, page_label: Callable[[int, int], str], font: str, **kw):
        super().__init__(*args, **kw)
        self._pages: list[dict] = []
        self._footer, self._page_label, self._font = footer, page_label, font

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(self._font, 8)
            self.setFillColor(colors.dimgrey)
            self.drawString(MARGIN, MARGIN - 4 * mm, self._footer)
            label = self._page_label(number, total)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 4 * mm, label)
            super().showPage()
        super().save()


def _page_label(number: int, total: int) -> str:
    return _("Page %(page)s of %(total)s") % {"page": number, "total": total}


def sign_in_sheet_pdf(
    sheet: SignInSheet, *, printed_at: dt.datetime | None = None, walk_in_rows: int = WALK_IN_ROWS
) -> bytes:
    """The sheet as PDF bytes, in the active language."""
    styles = _Styles()
    header = _header_paragraphs(sheet, styles)
    printed = zones.local(printed_at or timezone.now(), sheet.cohort)
    footer = _("Printed %(when)s %(zone)s · TOT Platform · keep the signed sheet as evidence") % {
        "when": formats.date_format(printed, "j F Y H:i"),
        "zone": sheet.event.zone,
    }
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + _header_height(header) + 4 * mm,
        bottomMargin=MARGIN + FOOTER_SPACE - 6 * mm,
        title=f"{_('Sign-in sheet')} · {sheet.session.title}",
        author="TOT Platform",
    )
    draw_header = partial(_draw_header, paragraphs=header)
    document.build(
        [_table(sheet, styles, walk_in_rows), Spacer(1, 8 * mm), _signature_line(styles)],
        onFirstPage=draw_header,
        onLaterPages=draw_header,
        canvasmaker=partial(
            _NumberedCanvas, footer=footer, page_label=_page_label, font=styles.regular
        ),
    )
    return output.getvalue()
