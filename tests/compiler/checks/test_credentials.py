"""Credential detection: known token formats anywhere, random strings in secret-named fields."""

from __future__ import annotations

import pytest

from amber.compiler.checks.credentials import fingerprint, redact, scan


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-Zx8Jq2LmN4vB7rT9wE3yU6iO1pA5sD0f",
        "sk-ant-api03-aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
        "AIzaSyD3xK9mQ2vL7nB4jH8fG1tR6wE0yU5iO3p",
        "AKIAIOSFODNN7QWERTY12",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
        "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
        "xoxb-1234567890-abcdefghijkl",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "redis://default:s3cr3t@cache:6379/0",
    ],
)
def test_known_credentials_are_found_anywhere(value: str) -> None:
    (finding,) = scan({"notes": {"anything": value}})
    assert finding.path == ("notes", "anything")
    assert finding.code == "security:credential"
    assert '{"$secret": "env:NAME"}' in finding.message


@pytest.mark.parametrize(
    "config",
    [
        {"api_key_header": "X-Api-Key"},
        {"token_ttl_seconds": 3600},
        {"password_policy": "at-least-12-characters-long"},
        {"callback_url": "https://example.com/auth/callback?next=/home"},
        {"build_id": "a8F3kQ9zL2mX7vB4nR6"},  # 19 characters: short of random-looking
        {"aws_example": "AKIAIOSFODNN7EXAMPLE"},  # AWS's documented example
        {"auth": {"issuer": "https://login.example.com"}},
        {"api_keys": {"openai": {"$secret": "env:OPENAI_API_KEY"}}},
        {"secret_file": {"$secret": "file:/run/secrets/db"}},
        {"sk-looking": "sk-short"},
    ],
)
def test_ordinary_config_is_not_flagged(config: dict[str, object]) -> None:
    assert list(scan(config)) == []


def test_random_strings_in_secret_fields_are_found() -> None:
    (finding,) = scan({"webhook": {"signing_secret": "q8Zr4Lm2Xv7Nc1Bt5Kw9"}})
    assert "random string in a secret field" in finding.message
    (finding,) = scan({"api_keys": {"stripe": "Zr4Lm2Xv7Nc1Bt5Kw9q8"}})
    assert finding.path == ("api_keys", "stripe")


@pytest.mark.parametrize(
    "reference",
    [
        {"$secret": "vault:kv/openai"},
        {"$secret": "env:"},
        {"$secret": "file:relative/path"},
        {"$secret": 42},
        {"$secret": "env:A", "default": "x"},
    ],
)
def test_malformed_references(reference: dict[str, object]) -> None:
    (finding,) = scan({"key": reference})
    assert finding.code == "security:secret-reference"


def test_a_value_that_is_not_a_secret_is_allowed_by_its_fingerprint() -> None:
    value = "Lm2Xv7Nc1Bt5Kw9q8Zr4Hd6Pj3Fs0Gy"
    (finding,) = scan({"build": {"id": value}})
    assert "random string" in finding.message and fingerprint(value) in finding.message
    assert list(scan({"build": {"id": value}}, allow=[fingerprint(value)])) == []
    assert redact(f"id {value}") != f"id {value}"
    assert redact(f"id {value}", allow=[fingerprint(value)]) == f"id {value}"


@pytest.mark.parametrize(
    "text",
    [
        "a0+.-" * 8000,  # once quadratic in the password-in-a-URL pattern
        "a" * 200_000,
        "x://" + "a:" * 20_000,
        "eyJ" * 30_000,
    ],
)
def test_hostile_text_is_scanned_without_findings(text: str) -> None:
    """What once took seconds per string (a backtracking pattern) is a linear scan now; the
    timing is in `python -m bench`, here the answer."""
    assert redact(text) == text
