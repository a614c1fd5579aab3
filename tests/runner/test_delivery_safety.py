"""foui send: only a published report's name, addresses checked before connecting, title and
period in subject and body, transient failures retried before acceptance and never after."""

from __future__ import annotations

import email
import json
from email import policy

import pytest
from aiosmtpd.controller import Controller
from test_delivery import Inbox, free_port, smtp_env

from foui_analysis.cli import main
from foui_analysis.runner.delivery import DeliveryError, SmtpSettings, published_report, send_report

NAME = "uppfoljning-2015H1"


def publish(out, name=NAME):
    (out / name).mkdir(parents=True)
    (out / f"{name}.html").write_text("<html><body>Rapport</body></html>", encoding="utf-8")
    record = {
        "report": {
            "name": name,
            "title": "Uppföljning, första halvåret 2015",
            "period_label": "1 januari 2015–30 juni 2015",
        }
    }
    (out / name / "provenance.json").write_text(json.dumps(record), encoding="utf-8")
    return name


class FlakyInbox(Inbox):
    """Refuses the first ``failures`` messages with a 4xx reply, then accepts."""

    def __init__(self, failures: int, code: str = "451 4.3.0 prova igen") -> None:
        super().__init__()
        self.failures, self.code, self.tries = failures, code, 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        if self.tries <= self.failures:
            return self.code
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def server():
    started = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for controller in started:
        controller.stop()


def settings(port):
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="foui@example.se")


def test_subject_and_body_name_title_and_period(tmp_path, server):
    inbox = Inbox()
    port = server(inbox)
    publish(tmp_path)
    send_report(tmp_path, NAME, ["styrelsen@example.se"], settings(port))
    message = email.message_from_bytes(inbox.messages[0][2], policy=policy.default)
    for part in (message["Subject"], message.get_body(("plain",)).get_content()):
        assert "Uppföljning, första halvåret 2015" in part
        assert "1 januari 2015–30 juni 2015" in part


@pytest.mark.parametrize(
    "name",
    ["../secret/x", "/etc/passwd", "uppfoljning-2015H1/../../x", "..", ".versions", "a b"],
)
def test_only_a_published_report_name_is_accepted(tmp_path, name):
    out = tmp_path / "reports"
    publish(out)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "x.html").write_text("hemligt", encoding="utf-8")
    with pytest.raises(DeliveryError) as refused:
        published_report(out, name)
    assert name.removesuffix(".html") in str(refused.value) or "rapportnamn" in str(refused.value)


def test_a_report_folder_linking_out_of_the_output_folder_is_refused(tmp_path):
    out = tmp_path / "reports"
    publish(out, "avgifter-2015")
    (out / "uppfoljning-2015H1").symlink_to(out / "avgifter-2015")
    (out / "uppfoljning-2015H1.html").symlink_to(tmp_path / "secret.html")
    (tmp_path / "secret.html").write_text("hemligt", encoding="utf-8")
    with pytest.raises(DeliveryError, match="pekar ut ur"):
        published_report(out, "uppfoljning-2015H1")


@pytest.mark.parametrize(
    "address",
    [
        "inte en adress",
        "styrelsen@example.se\r\nBcc: alla@example.se",
        "a@b.se, c@d.se",
        "@example.se",
        "styrelsen@",
        "styrelsen",
    ],
)
def test_bad_addresses_are_refused_before_connecting(tmp_path, monkeypatch, capsys, address):
    publish(tmp_path)
    smtp_env(monkeypatch, free_port())  # nothing listens there: a connection would fail
    code = main(["send", NAME, "--to", address, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Ingenting skickades" in err and "kunde inte skicka" not in err
    assert err.strip().splitlines()[-1].startswith("foui: ")


def test_transient_failures_are_retried_before_acceptance(tmp_path, server):
    inbox = FlakyInbox(failures=2)
    port = server(inbox)
    publish(tmp_path)
    send_report(tmp_path, NAME, ["styrelsen@example.se"], settings(port), wait_seconds=0.01)
    assert inbox.tries == 3 and len(inbox.messages) == 1


def test_retries_give_up_with_a_message(tmp_path, server):
    inbox = FlakyInbox(failures=10)
    port = server(inbox)
    publish(tmp_path)
    with pytest.raises(DeliveryError, match="efter 3 försök"):
        send_report(tmp_path, NAME, ["a@example.se"], settings(port), attempts=3, wait_seconds=0.01)
    assert inbox.tries == 3 and inbox.messages == []


def test_a_permanent_refusal_is_not_retried(tmp_path, server):
    inbox = FlakyInbox(failures=10, code="554 5.7.1 nej")
    port = server(inbox)
    publish(tmp_path)
    with pytest.raises(DeliveryError, match="554"):
        send_report(tmp_path, NAME, ["a@example.se"], settings(port), wait_seconds=0.01)
    assert inbox.tries == 1


def test_a_refused_connection_is_retried_then_reported(tmp_path):
    publish(tmp_path)
    with pytest.raises(DeliveryError, match="efter 2 försök"):
        send_report(
            tmp_path, NAME, ["a@example.se"], settings(free_port()), attempts=2, wait_seconds=0.01
        )


def test_nothing_is_retried_after_the_server_accepted(tmp_path, server, monkeypatch):
    """The server accepts the message, then the connection fails at QUIT: sent once, no retry."""
    import smtplib

    inbox = Inbox()
    port = server(inbox)
    publish(tmp_path)

    original = smtplib.SMTP.docmd

    def docmd(self, cmd, args=""):
        if cmd.upper() == "QUIT":
            raise ConnectionResetError("förbindelsen bröts")
        return original(self, cmd, args)

    monkeypatch.setattr(smtplib.SMTP, "docmd", docmd)
    with pytest.raises(DeliveryError):
        send_report(tmp_path, NAME, ["a@example.se"], settings(port), wait_seconds=0.01)
    assert len(inbox.messages) == 1
