"""Sending a published report to the board: ``foui send REPORT --to ADDRESS``.

Method
------
The report's HTML file, its A4 PDF, or both (``--format html|pdf|both``, default ``html``) are
attached to one e-mail with a Swedish subject and body naming the report and its period (from
the report's ``provenance.json``). SMTP settings come from the
environment, never from files in the repository:

=====================  ===========================================  ==========
variable               meaning                                      default
=====================  ===========================================  ==========
``FOUI_SMTP_HOST``     SMTP server                                  (required)
``FOUI_SMTP_PORT``     port                                         587
``FOUI_SMTP_STARTTLS`` ``1`` to upgrade the connection with STARTTLS ``1``
``FOUI_SMTP_USER``     user name, if the server wants a login       (none)
``FOUI_SMTP_PASSWORD`` password                                     (none)
``FOUI_SMTP_FROM``     sender address                               user, else
                                                                    ``foui@localhost``
=====================  ===========================================  ==========

Only a published report is sent: the HTML and its ``provenance.json`` must exist, and when the
latest run of the report failed after it was published (a notebook kept aside under
``.misslyckade/``), sending is refused, since the board would get figures that are known to be
out of date.

The server's certificate is verified against the system's certificate authorities (OpenSSL's
``SSL_CERT_FILE`` names another bundle). A user name or password with letters outside ASCII is
sent with AUTH PLAIN as UTF-8 (smtplib's own login accepts only ASCII).

Known limits: one message per call, all recipients in ``To``; no retry on a temporary SMTP
failure (the scheduler's next run retries).
"""

from __future__ import annotations

import base64
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from foui_analysis.errors import InputError

FAILED_DIR = ".misslyckade"


class DeliveryError(Exception):
    """A report that may not or could not be sent; the message says why, in Swedish."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    sender: str = "foui@localhost"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpSettings:
        env = dict(os.environ if env is None else env)
        host = env.get("FOUI_SMTP_HOST", "").strip()
        if not host:
            raise InputError.single(
                "miljövariabler",
                "FOUI_SMTP_HOST saknas; ange SMTP-servern",
                column="FOUI_SMTP_HOST",
            )
        port_text = env.get("FOUI_SMTP_PORT", "587").strip()
        if not port_text.isdigit():
            raise InputError.single(
                "miljövariabler",
                f"väntade ett portnummer, fick '{port_text}'",
                column="FOUI_SMTP_PORT",
            )
        user = env.get("FOUI_SMTP_USER") or None
        return cls(
            host=host,
            port=int(port_text),
            starttls=env.get("FOUI_SMTP_STARTTLS", "1").strip() not in ("0", "nej", "false", ""),
            user=user,
            password=env.get("FOUI_SMTP_PASSWORD") or None,
            sender=env.get("FOUI_SMTP_FROM") or user or "foui@localhost",
        )


def published_report(out_dir: Path, name: str) -> tuple[Path, dict]:
    """The HTML path and provenance of a published report; DeliveryError if it may not be sent."""
    name = name.removesuffix(".html")
    html = out_dir / f"{name}.html"
    provenance_path = out_dir / name / "provenance.json"
    if not html.exists() or not provenance_path.exists():
        raise DeliveryError(
            f"rapporten '{name}' är inte publicerad i {out_dir}; kör 'foui run' först"
        )
    provenance = json.loads(provenance_path.read_text(encoding="utf-8"))
    failed = sorted((out_dir / FAILED_DIR).glob(f"{name}-*.ipynb"))
    if failed and failed[-1].stat().st_mtime > html.stat().st_mtime:
        raise DeliveryError(
            f"den senaste körningen av '{name}' misslyckades ({failed[-1]}); den publicerade "
            f"versionen är inaktuell och skickas inte. Rätta felet och kör rapporten igen."
        )
    return html, provenance


FORMATS = ("html", "pdf", "both")
"""What ``foui send --format`` can attach."""


def build_message(
    html: Path, provenance: dict, recipients: list[str], sender: str, attach: str = "html"
) -> EmailMessage:
    title = provenance.get("title") or html.stem
    period = provenance.get("period_label") or provenance.get("period") or ""
    subject = f"FoUI Norrbotten: {title}" + (
        f" ({period})" if period and period not in title else ""
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="foui.local")
    message.set_content(
        "Hej,\n\n"
        f'bifogat finns rapporten "{title}"'
        + (f" för {period}" if period else "")
        + " från FoUI Norrbotten.\n\n"
        + _how_to_read(attach)
        + "Med vänliga hälsningar\nFoUI Norrbotten\n"
    )
    if attach in ("html", "both"):
        message.add_attachment(
            html.read_bytes(), maintype="text", subtype="html", filename=html.name
        )
    if attach in ("pdf", "both"):
        pdf = html.with_suffix(".pdf")
        message.add_attachment(
            pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name
        )
    return message


def _how_to_read(attach: str) -> str:
    html = (
        "Öppna den bifogade HTML-filen i en webbläsare; den fungerar utan internetanslutning "
        "och kan skrivas ut på A4.\n\n"
    )
    pdf = "PDF-filen är rapporten i A4-format, färdig att skriva ut.\n\n"
    return {"html": html, "pdf": pdf, "both": html + pdf}[attach]


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a user name or password with å, ä, ö is sent as UTF-8 with AUTH PLAIN.

    :meth:`smtplib.SMTP.login` encodes the credentials as ASCII and fails on any other letter;
    AUTH PLAIN carries UTF-8 (RFC 4616), so that is used for such credentials.
    """
    try:
        (user + password).encode("ascii")
    except UnicodeEncodeError:
        smtp.ehlo_or_helo_if_needed()
        if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
            raise DeliveryError(
                "användarnamnet eller lösenordet har tecken utanför ASCII (till exempel å, ä, ö) "
                "och servern erbjuder inte inloggningen AUTH PLAIN, som kan föra dem"
            ) from None
        token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode())
        code, response = smtp.docmd("AUTH", "PLAIN " + token.decode("ascii"))
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, response) from None
        return
    smtp.login(user, password)


def send_report(
    out_dir: Path,
    name: str,
    recipients: list[str],
    settings: SmtpSettings,
    attach: str = "html",
) -> EmailMessage:
    """Send a published report to ``recipients``; return the message sent.

    ``attach`` is ``html``, ``pdf`` or ``both``: which of the report's files go with it.
    """
    if not recipients:
        raise DeliveryError("ange minst en mottagare med --to")
    if attach not in FORMATS:
        raise DeliveryError(f"okänt format '{attach}'; välj html, pdf eller both")
    html, provenance = published_report(out_dir, name)
    if attach != "html" and not html.with_suffix(".pdf").is_file():
        raise DeliveryError(
            f"rapporten '{html.stem}' har ingen PDF i {out_dir}; kör rapporten igen med "
            "'foui run ... --force' eller skicka HTML-filen (--format html)"
        )
    message = build_message(html, provenance, recipients, settings.sender, attach)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                _login(smtp, settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"kunde inte skicka via {settings.host}:{settings.port}: {exc}"
        ) from None
    return message
