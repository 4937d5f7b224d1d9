"""A visitor's email and phone number never reach the servers' logs, even at DEBUG."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.servers import running_bot

EMAIL = "jane.doe@example.org"
PHONES = ("+44 7700 900123", "07700 900456")


@pytest.mark.e2e
def test_a_conversation_with_an_email_and_a_phone_leaves_neither_in_the_logs(
    tmp_path: Path,
) -> None:
    with running_bot(tmp_path, rasa_args=("--debug",)) as bot:
        visitor = "privacy-visitor"
        bot.say(visitor, f"hi, I'm Jane, my email is {EMAIL} and my phone is {PHONES[0]}")
        bot.say(visitor, "plan my sessions")
        bot.say(visitor, f"call me on {PHONES[1]}, start next monday")
        bot.say(visitor, "what is mesotherapy?")

    logs = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.log")}
    assert set(logs) >= {"actions.log", f"rasa-{bot.port}.log"}
    rasa_log = logs[f"rasa-{bot.port}.log"]
    assert "[email]" in rasa_log and "[phone]" in rasa_log, "the debug log did see the message"
    for name, text in logs.items():
        assert EMAIL not in text, name
        assert "jane.doe" not in text, name
        for phone in PHONES:
            assert phone not in text, name
            assert phone.replace(" ", "")[-6:] not in text.replace(" ", ""), name
