"""Vendored PACT OpenAPI files (see SOURCE.md)."""
