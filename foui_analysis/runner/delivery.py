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
``FOUI_SMTP_ATTEMPTS`` tries in all for a transient failure         4
=====================  ===========================================  ==========

Only a published report is sent, named as the runner names it (``uppfoljning-2015H1``, no
path): its HTML and ``provenance.json`` must exist in the output folder and the HTML must lie
inside it, so no other file can be mailed by naming it (``../secret/x``). When the latest run
of the report failed after it was published (a notebook kept aside under ``.misslyckade/``),
sending is refused, since the board would get figures that are known to be out of date.

Every address is checked before any connection is made (``email-validator``, syntax only: no
DNS look-up), so ``--to 'inte en adress'`` or an address with a line break (header injection)
is refused with a message naming it. The subject and body name the report's title and period
from its provenance.

A transient failure before the server has accepted the message (the connection refused or
dropped before sending, or a 4xx reply) is retried up to :data:`ATTEMPTS` times with
exponential backoff (``tenacity``); once the server has accepted the message nothing is retried,
so the board never gets it twice. A permanent failure (5xx, a refused login, an untrusted
certificate) is not retried.

The server's certificate is verified against the system's certificate authorities (OpenSSL's
``SSL_CERT_FILE`` names another bundle). A user name or password with letters outside ASCII is
sent with AUTH PLAIN as UTF-8 (smtplib's own login accepts only ASCII).

Known limits: one message per call, all recipients in ``To``; a connection that drops while
the message itself is being sent is not retried (the server may have accepted it).
"""

from __future__ import annotations

import base64
import json
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from foui_analysis.errors import InputError

FAILED_DIR = ".misslyckade"
REPORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
ATTEMPTS = 4
"""How many times a transient SMTP failure is tried in all."""
RETRY_WAIT_SECONDS = 2.0
"""The first wait before a retry; each later wait doubles (at most 30 s)."""


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
    attempts: int = ATTEMPTS

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
        attempts_text = env.get("FOUI_SMTP_ATTEMPTS", str(ATTEMPTS)).strip()
        if not attempts_text.isdigit() or int(attempts_text) < 1:
            raise InputError.single(
                "miljövariabler",
                f"väntade ett antal försök (1 eller fler), fick '{attempts_text}'",
                column="FOUI_SMTP_ATTEMPTS",
            )
        return cls(
            attempts=int(attempts_text),
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
    if not REPORT_NAME.fullmatch(name) or ".." in name:
        raise DeliveryError(
            f"'{name}' är inget rapportnamn; ange namnet på en publicerad rapport, t.ex. "
            "uppfoljning-2015H1 (ingen sökväg)"
        )
    out_dir = Path(out_dir)
    html = out_dir / f"{name}.html"
    provenance_path = out_dir / name / "provenance.json"
    if not html.is_file() or not provenance_path.is_file():
        raise DeliveryError(
            f"rapporten '{name}' är inte publicerad i {out_dir}; kör 'foui run' först"
        )
    root = out_dir.resolve()
    if not html.resolve().is_relative_to(root) or not provenance_path.resolve().is_relative_to(
        root
    ):
        raise DeliveryError(f"rapporten '{name}' pekar ut ur {out_dir}; den skickas inte")
    try:
        provenance = json.loads(provenance_path.read_text(encoding="utf-8"))
        if not isinstance(provenance, dict):
            raise ValueError("inget JSON-objekt")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DeliveryError(
            f"{provenance_path} kan inte läsas ({exc}); kör 'foui run' för rapporten igen "
            "med --force så skrivs den på nytt"
        ) from None
    report = provenance.get("report")
    recorded = report.get("name") if isinstance(report, dict) else None
    if recorded not in (None, name):
        raise DeliveryError(
            f"{provenance_path} hör till rapporten '{recorded}', inte '{name}'; den skickas inte"
        )
    failed = sorted((out_dir / FAILED_DIR).glob(f"{name}-*.ipynb"))
    if failed and failed[-1].stat().st_mtime > html.stat().st_mtime:
        raise DeliveryError(
            f"den senaste körningen av '{name}' misslyckades ({failed[-1]}); den publicerade "
            f"versionen är inaktuell och skickas inte. Rätta felet och kör rapporten igen."
        )
    return html, provenance


def check_addresses(recipients: list[str], sender: str) -> list[str]:
    """The recipients in normalised form; DeliveryError naming every address that is not one.

    Syntax only (no DNS): the check runs before any connection, so nothing is sent to a part
    of a bad address, and a line break in an address (header injection) is refused.
    """
    from email_validator import EmailNotValidError, validate_email

    problems, normalised = [], []
    for label, address in [*(("--to", r) for r in recipients), ("FOUI_SMTP_FROM", sender)]:
        if any(ch in address for ch in "\r\n\0") or "," in address:
            problems.append(f"{label} '{address!r}' innehåller radbrytning eller komma")
            continue
        if (
            label == "FOUI_SMTP_FROM"
            and address.endswith("@localhost")
            and "@" not in address[:-10]
        ):
            continue  # the default sender, a local name the server rewrites or accepts
        try:
            # The sender may be a local name; recipients must be globally deliverable.
            valid = validate_email(
                address, check_deliverability=False, globally_deliverable=label == "--to"
            )
        except EmailNotValidError as exc:
            problems.append(f"{label} '{address}' är ingen giltig e-postadress ({exc})")
            continue
        if label == "--to":
            normalised.append(valid.normalized)
    if problems:
        raise DeliveryError("; ".join(problems) + ". Ingenting skickades.")
    return normalised


FORMATS = ("html", "pdf", "both")
"""What ``foui send --format`` can attach."""


def build_message(
    html: Path, provenance: dict, recipients: list[str], sender: str, attach: str = "html"
) -> EmailMessage:
    given = provenance.get("report")
    report: dict = given if isinstance(given, dict) else {}
    title = report.get("title") or provenance.get("title") or html.stem
    period = report.get("period_label") or provenance.get("period_label") or ""
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


class _Transient(Exception):
    """A failure before the server accepted the message, worth another try."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, ConnectionError | TimeoutError)


def _deliver_once(settings: SmtpSettings, message: EmailMessage, recipients: list[str]) -> None:
    """One attempt; raises _Transient for a failure before the server accepted the message."""
    sending = False
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                _login(smtp, settings.user, settings.password or "")
            sending = True
            smtp.send_message(message, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as exc:
        explicit = isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
        # Before sending anything retries; while sending only what the server refused with 4xx
        # (it then has not accepted the message). A dropped connection while sending may come
        # after acceptance: never retried.
        if _transient(exc) and (not sending or explicit):
            raise _Transient(exc) from exc
        raise


def send_report(
    out_dir: Path,
    name: str,
    recipients: list[str],
    settings: SmtpSettings,
    attach: str = "html",
    *,
    attempts: int | None = None,
    wait_seconds: float = RETRY_WAIT_SECONDS,
) -> EmailMessage:
    """Send a published report to ``recipients``; return the message sent.

    ``attach`` is ``html``, ``pdf`` or ``both``: which of the report's files go with it.
    """
    from tenacity import (
        RetryError,
        Retrying,
        retry_if_exception_type,
        stop_after_attempt,
        wait_exponential,
    )

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
    recipients = check_addresses(recipients, settings.sender)
    message = build_message(html, provenance, recipients, settings.sender, attach)
    attempts = settings.attempts if attempts is None else attempts
    retrying = Retrying(
        stop=stop_after_attempt(max(1, attempts)),
        wait=wait_exponential(multiplier=wait_seconds, max=30),
        retry=retry_if_exception_type(_Transient),
        reraise=False,
    )
    try:
        for attempt in retrying:
            with attempt:
                _deliver_once(settings, message, recipients)
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        cause = cause.cause if isinstance(cause, _Transient) else cause
        raise DeliveryError(
            f"kunde inte skicka via {settings.host}:{settings.port} efter {attempts} försök: "
            f"{cause}. Ingenting skickades; försök igen senare."
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"kunde inte skicka via {settings.host}:{settings.port}: {exc}"
        ) from None
    return message
