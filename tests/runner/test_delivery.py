"""foui send: real SMTP round trips on localhost (aiosmtpd), with and without STARTTLS and a
login, and refusals."""

from __future__ import annotations

import email
import json
import os
import socket
import ssl
import time
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from foui_analysis.cli import main
from foui_analysis.runner.delivery import DeliveryError, SmtpSettings, published_report


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def publish(out, name="uppfoljning-2015H1", title="Uppföljning första halvåret 2015"):
    (out / name).mkdir(parents=True)
    (out / f"{name}.html").write_text(
        "<html><body><h1>Rapport</h1></body></html>", encoding="utf-8"
    )
    (out / name / "provenance.json").write_text(
        json.dumps({"title": title, "period_label": "första halvåret 2015"}), encoding="utf-8"
    )
    return name


def smtp_env(monkeypatch, port):
    monkeypatch.setenv("FOUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FOUI_SMTP_PORT", str(port))
    monkeypatch.setenv("FOUI_SMTP_STARTTLS", "0")
    monkeypatch.setenv("FOUI_SMTP_FROM", "foui@example.se")


def test_send_delivers_report_as_attachment(tmp_path, smtp_server, monkeypatch, capsys):
    inbox, port = smtp_server
    name = publish(tmp_path)
    smtp_env(monkeypatch, port)

    code = main(
        [
            "send",
            name,
            "--to",
            "styrelsen@example.se",
            "--to",
            "ordf@example.se",
            "--out",
            str(tmp_path),
        ]
    )

    assert code == 0, capsys.readouterr().err
    assert len(inbox.messages) == 1
    sender, recipients, raw = inbox.messages[0]
    assert sender == "foui@example.se"
    assert recipients == ["styrelsen@example.se", "ordf@example.se"]
    message = email.message_from_bytes(raw, policy=policy.default)
    # The period is named once: the title already holds it.
    assert message["Subject"] == "FoUI Norrbotten: Uppföljning första halvåret 2015"
    body = message.get_body(("plain",)).get_content()
    assert "Uppföljning första halvåret 2015" in body
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"{name}.html"]
    assert attachments[0].get_content_type() == "text/html"
    assert "<h1>Rapport</h1>" in attachments[0].get_content()


def test_unpublished_report_is_never_sent(tmp_path, smtp_server, monkeypatch, capsys):
    inbox, port = smtp_server
    smtp_env(monkeypatch, port)

    code = main(["send", "uppfoljning-2016H1", "--to", "a@example.se", "--out", str(tmp_path)])

    assert code == 1
    assert "inte publicerad" in capsys.readouterr().err
    assert inbox.messages == []


def test_report_whose_latest_run_failed_is_not_sent(tmp_path, smtp_server, monkeypatch, capsys):
    inbox, port = smtp_server
    name = publish(tmp_path)
    smtp_env(monkeypatch, port)
    failed = tmp_path / ".misslyckade" / f"{name}-20160101T000000.ipynb"
    failed.parent.mkdir()
    failed.write_text("{}", encoding="utf-8")
    later = time.time() + 5
    os.utime(failed, (later, later))

    code = main(["send", name, "--to", "a@example.se", "--out", str(tmp_path)])

    assert code == 1
    assert "misslyckades" in capsys.readouterr().err
    assert inbox.messages == []
    with pytest.raises(DeliveryError):
        published_report(tmp_path, name)


def test_missing_smtp_host_is_bad_input(tmp_path, monkeypatch, capsys):
    name = publish(tmp_path)
    monkeypatch.delenv("FOUI_SMTP_HOST", raising=False)

    code = main(["send", name, "--to", "a@example.se", "--out", str(tmp_path)])

    assert code == 1
    assert "FOUI_SMTP_HOST" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"FOUI_SMTP_HOST": "smtp.kommun.se"}, SmtpSettings("smtp.kommun.se")),
        (
            {
                "FOUI_SMTP_HOST": "h",
                "FOUI_SMTP_PORT": "25",
                "FOUI_SMTP_STARTTLS": "0",
                "FOUI_SMTP_USER": "kansli@nk.se",
                "FOUI_SMTP_PASSWORD": "x",
            },
            SmtpSettings("h", 25, False, "kansli@nk.se", "x", "kansli@nk.se"),
        ),
    ],
)
def test_settings_from_environment(env, expected):
    assert SmtpSettings.from_env(env) == expected


# STARTTLS and login -------------------------------------------------------------------------------

TLS = Path(__file__).resolve().parent.parent / "fixtures" / "tls"
USER, PASSWORD = "kansli@foui.se", "hemligt lösen"


class TlsInbox:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook name
        self.messages.append(
            {
                "tls": session.ssl is not None,
                "login": session.auth_data.login.decode() if session.authenticated else None,
                "raw": envelope.content,
            }
        )
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def tls_server():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    inbox = TlsInbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def tls_env(monkeypatch, port: int, password: str = PASSWORD, trust: bool = True) -> None:
    monkeypatch.setenv("FOUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FOUI_SMTP_PORT", str(port))
    monkeypatch.delenv("FOUI_SMTP_STARTTLS", raising=False)  # STARTTLS is the default
    monkeypatch.setenv("FOUI_SMTP_USER", USER)
    monkeypatch.setenv("FOUI_SMTP_PASSWORD", password)
    monkeypatch.delenv("FOUI_SMTP_FROM", raising=False)
    # The client trusts the system's certificate authorities; for the test, ours instead.
    if trust:
        monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "cert.pem"))
    else:
        monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "README.md"))  # trusts nothing


def test_send_upgrades_with_starttls_and_logs_in(tmp_path, tls_server, monkeypatch, capsys):
    inbox, port = tls_server
    name = publish(tmp_path)
    tls_env(monkeypatch, port)

    code = main(["send", name, "--to", "styrelsen@example.se", "--out", str(tmp_path)])

    assert code == 0, capsys.readouterr().err
    (received,) = inbox.messages
    assert received["tls"] and received["login"] == USER
    message = email.message_from_bytes(received["raw"], policy=policy.default)
    assert message["From"] == USER  # the login is the sender when FOUI_SMTP_FROM is not set
    assert [a.get_filename() for a in message.iter_attachments()] == [f"{name}.html"]


@pytest.mark.parametrize("wrong", ["fel", "fel lösen"])  # smtplib's login, and AUTH PLAIN
def test_a_wrong_password_is_reported_and_nothing_is_sent(
    wrong, tmp_path, tls_server, monkeypatch, capsys
):
    inbox, port = tls_server
    name = publish(tmp_path)
    tls_env(monkeypatch, port, password=wrong)

    code = main(["send", name, "--to", "styrelsen@example.se", "--out", str(tmp_path)])

    assert code == 1
    err = capsys.readouterr().err
    assert f"kunde inte skicka via 127.0.0.1:{port}" in err and "535" in err
    assert "Traceback" not in err
    assert inbox.messages == []


def test_a_server_certificate_nobody_vouches_for_is_refused(
    tmp_path, tls_server, monkeypatch, capsys
):
    inbox, port = tls_server
    name = publish(tmp_path)
    tls_env(monkeypatch, port, trust=False)

    code = main(["send", name, "--to", "styrelsen@example.se", "--out", str(tmp_path)])

    assert code == 1
    assert "CERTIFICATE_VERIFY_FAILED" in capsys.readouterr().err
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("pdf", ["{name}.pdf"]), ("both", ["{name}.html", "{name}.pdf"])],
)
def test_send_attaches_the_pdf_on_request(
    tmp_path, smtp_server, monkeypatch, capsys, fmt, expected
):
    inbox, port = smtp_server
    name = publish(tmp_path)
    (tmp_path / f"{name}.pdf").write_bytes(b"%PDF-1.7\n%fake report\n")
    smtp_env(monkeypatch, port)

    code = main(
        ["send", name, "--to", "styrelsen@example.se", "--format", fmt, "--out", str(tmp_path)]
    )

    assert code == 0, capsys.readouterr().err
    message = email.message_from_bytes(inbox.messages[0][2], policy=policy.default)
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [e.format(name=name) for e in expected]
    pdf = attachments[-1]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == b"%PDF-1.7\n%fake report\n"
    assert "PDF-filen" in message.get_body(("plain",)).get_content()


def test_send_pdf_of_a_report_without_one_is_refused(tmp_path, smtp_server, monkeypatch, capsys):
    inbox, port = smtp_server
    name = publish(tmp_path)
    smtp_env(monkeypatch, port)

    code = main(
        ["send", name, "--to", "styrelsen@example.se", "--format", "pdf", "--out", str(tmp_path)]
    )

    assert code == 1
    assert "ingen PDF" in capsys.readouterr().err
    assert inbox.messages == []
