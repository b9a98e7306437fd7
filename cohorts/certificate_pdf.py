"""A certificate as a one-page A4 landscape PDF, in its holder's language.

Everything printed comes from the certificate's own copy (name, training, dates, hours,
organizers), so a later edit of the cohort or the member never changes it. The QR code
and the printed address lead to the public verify page, which says whether it is still
valid."""

import datetime as dt
from io import BytesIO

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from cohorts.models import Certificate
from cohorts.pdf import register_fonts

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 18 * mm
INK = HexColor("#1f2a44")
ACCENT = HexColor("#b8860b")
MUTED = HexColor("#55607a")
QR_SIZE = 34 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 30 * mm  # centred lines stay clear of the frame


def display_code(code: str) -> str:
    """``ABCDEFGHJK`` → ``ABCDE-FGHJK``: easier to read out and type (the dash is optional)."""
    middle = len(code) // 2
    return f"{code[:middle]}-{code[middle:]}"


def verify_url(certificate: Certificate) -> str:
    """The absolute address of the verify page, in the active language."""
    path = reverse("cohorts:verify_code", kwargs={"code": certificate.verification_code})
    return settings.SITE_URL.rstrip("/") + path


def date_range(starts_on: dt.date, ends_on: dt.date) -> str:
    if starts_on == ends_on:
        return formats.date_format(starts_on, "j F Y")
    return f"{formats.date_format(starts_on, 'j F Y')} – {formats.date_format(ends_on, 'j F Y')}"


def _qr_image(url: str) -> ImageReader:
    png = BytesIO()
    segno.make(url, error="m").save(png, kind="png", scale=8, border=0)
    png.seek(0)
    return ImageReader(png)


class _Page:
    """A canvas with the certificate's fonts and a few centred-text helpers."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.regular, self.bold = register_fonts()

    def centred(self, text: str, y: float, *, size: float, bold=False, colour=INK) -> None:
        self.canvas.setFillColor(colour)
        self.canvas.setFont(self.bold if bold else self.regular, size)
        self.canvas.drawCentredString(PAGE_WIDTH / 2, y, text)

    def fitted_size(self, text: str, *, size: float, bold=True, minimum=16.0) -> float:
        """The largest size up to ``size`` at which ``text`` fits between the margins."""
        font = self.bold if bold else self.regular
        while size > minimum and stringWidth(text, font, size) > TEXT_WIDTH:
            size -= 1
        return size

    def lines(self, text: str, *, size: float, bold=False) -> list[str]:
        font = self.bold if bold else self.regular
        return simpleSplit(text, font, size, TEXT_WIDTH)

    def wrapped(
        self, text: str, y: float, *, sizes: tuple[float, ...], bold=False, most_lines=2
    ) -> float:
        """Centred lines within the margins, at the first of ``sizes`` that needs at most
        ``most_lines`` lines (else the last size); returns the y below the last line."""
        size = next(
            (size for size in sizes if len(self.lines(text, size=size, bold=bold)) <= most_lines),
            sizes[-1],
        )
        for line in self.lines(text, size=size, bold=bold):
            self.centred(line, y, size=size, bold=bold)
            y -= size * 1.25
        return y


def _frame(page: _Page) -> None:
    canvas = page.canvas
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setLineWidth(0.8)
    canvas.rect(MARGIN / 2 + 4 * mm, MARGIN / 2 + 4 * mm, PAGE_WIDTH - MARGIN - 8 * mm,
                PAGE_HEIGHT - MARGIN - 8 * mm)  # fmt: skip


def _body(page: _Page, certificate: Certificate) -> None:
    top = PAGE_HEIGHT - MARGIN - 22 * mm
    page.centred(_("Certificate"), top, size=40, bold=True, colour=ACCENT)
    page.centred(_("This certifies that"), top - 18 * mm, size=14, colour=MUTED)
    name_size = page.fitted_size(certificate.holder_name, size=34)
    if len(page.lines(certificate.holder_name, size=name_size, bold=True)) > 1:
        page.wrapped(certificate.holder_name, top - 32 * mm, sizes=(name_size,), bold=True)
    else:
        page.centred(certificate.holder_name, top - 34 * mm, size=name_size, bold=True)
    page.centred(_("has completed the training"), top - 48 * mm, size=14, colour=MUTED)
    y = page.wrapped(certificate.cohort_title, top - 61 * mm, sizes=(20, 17, 14), bold=True)
    when = date_range(certificate.starts_on, certificate.ends_on)
    hours = _("%(hours)s training hours") % {"hours": formats.localize(certificate.hours)}
    page.centred(f"{when} · {hours}", y - 4 * mm, size=13)
    organized = _("Organized by %(organizations)s") % {"organizations": certificate.organizations}
    page.wrapped(organized, y - 14 * mm, sizes=(12, 10))


def _proof(page: _Page, certificate: Certificate) -> None:
    """Bottom band: serial, verification code and address on the left, the QR on the right."""
    canvas, url = page.canvas, verify_url(certificate)
    left, bottom = MARGIN + 6 * mm, MARGIN + 4 * mm
    lines = [
        (_("Serial number: %(serial)s") % {"serial": certificate.serial}, False),
        (
            _("Verification code: %(code)s")
            % {"code": display_code(certificate.verification_code)},
            True,
        ),
        (_("Check this certificate at %(url)s") % {"url": url}, False),
    ]
    y = bottom + 16 * mm
    for text, bold in lines:
        canvas.setFillColor(INK)
        canvas.setFont(page.bold if bold else page.regular, 10)
        canvas.drawString(left, y, text)
        y -= 6 * mm
    qr_left = PAGE_WIDTH - MARGIN - 6 * mm - QR_SIZE
    canvas.drawImage(_qr_image(url), qr_left, bottom, QR_SIZE, QR_SIZE)


def _revoked_stamp(page: _Page) -> None:
    canvas = page.canvas
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(25)
    canvas.setFillColor(Color(0.8, 0.1, 0.1, alpha=0.35))
    canvas.setFont(page.bold, 90)
    canvas.drawCentredString(0, 0, _("REVOKED"))
    canvas.restoreState()


def certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    """The certificate's PDF in ``language`` (the holder's); a revoked one carries a
    stamp saying so."""
    buffer = BytesIO()
    with translation.override(language):
        canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
        canvas.setTitle(f"{_('Certificate')} {certificate.serial} · {certificate.holder_name}")
        canvas.setAuthor("TOT Platform")
        page = _Page(canvas)
        _frame(page)
        _body(page, certificate)
        _proof(page, certificate)
        if not certificate.is_valid:
            _revoked_stamp(page)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    return f"{certificate.serial}.pdf"
