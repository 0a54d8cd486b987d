"""Consent to filming: the rules live in roleplay.core.consent; the recorder asks them here."""

from roleplay.core.consent import ConsentMissing, check_consent, missing_consent

__all__ = ["ConsentMissing", "check_consent", "missing_consent"]
