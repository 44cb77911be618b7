"""Checks of a compiled config: JSON Schema, cross-field rules, credentials, flag definitions."""
