"""Fixtures of the rule pack pages: the shipped packs loaded, a signed-in client."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from tests.rules.rules_fixtures import COMPLETE, VARIANTS
from yuntan.formats.excel import write_template
from yuntan.platform.rulepacks.actions import load_shipped_rule_packs
from yuntan.rules import RulePack, shipped_packs

PACK_VARIANTS = [(p.id, p.version, v.id) for p in shipped_packs() for v in p.variants]


def complete(pack: RulePack, variant: str) -> dict[str, tuple[float, str]]:
    """Complete illustrative activity data of a pack and variant (tests/rules fixtures)."""
    return dict(VARIANTS.get((pack.id, variant), COMPLETE[pack.id]))


def filled_template(pack: RulePack, variant: str | None = None,
                    values: dict[str, tuple[float, str]] | None = None) -> io.BytesIO:
    target = io.BytesIO()
    write_template(pack, target, variant, values)
    target.seek(0)
    target.name = "filled.xlsx"
    return target


def row_counts() -> dict[str, int]:
    """Rows of every table of every installed app: to show that a page stored nothing."""
    tables = set(connection.introspection.table_names())
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.db_table in tables}


@pytest.fixture
def loaded(db: Any) -> None:
    load_shipped_rule_packs()


@pytest.fixture
def signed_in(client: Client, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_user("alice", password="not-used-here")
    client.force_login(user)
    return client
