"""The self-soothing kit: a short, ordered list that only its author reads or changes."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from server.between.access import author_id
from server.between.definitions import kit_rules
from server.between.shapes import KitItemPublic, KitPublic, KitSuggestionPublic
from server.errors import ApiError
from server.models import KitItem, User
from server.text_checks import ONE_LINE_CONTROL_MESSAGE, has_control_characters


async def _items(db: AsyncSession, user: User) -> list[KitItem]:
    rows = await db.exec(
        select(KitItem)
        .where(KitItem.user_id == author_id(user))
        .order_by(col(KitItem.position), col(KitItem.created_at))
    )
    return list(rows.all())


async def my_kit(db: AsyncSession, *, user: User) -> KitPublic:
    rules = kit_rules()
    return KitPublic(
        items=[KitItemPublic(id=i.id, text=i.text, suggestion_id=i.suggestion_id) for i in await _items(db, user)],
        suggestions=[KitSuggestionPublic(id=s.id, text=s.text) for s in rules.suggestions],
        max_items=rules.max_items,
        max_length=rules.max_length,
    )


async def add(db: AsyncSession, *, user: User, text: str | None, suggestion_id: str | None) -> KitItemPublic:
    rules = kit_rules()
    if (text is None) == (suggestion_id is None):
        raise ApiError(400, "text_or_suggestion", "Add either your own words or one of the suggestions.")
    items = await _items(db, user)
    if suggestion_id is not None:
        suggestion = rules.suggestion(suggestion_id)
        if suggestion is None:
            raise ApiError(400, "unknown_suggestion", "That suggestion isn't one we offer.")
        if any(i.suggestion_id == suggestion_id for i in items):
            raise ApiError(409, "already_in_kit", "That one is already in your kit.")
        text = suggestion.text
    if has_control_characters(" ".join((text or "").splitlines()), multi_line=False):  # line breaks fold below
        raise ApiError(400, "control_characters", ONE_LINE_CONTROL_MESSAGE)
    words = " ".join((text or "").split())  # one line, as it is shown
    if not words:
        raise ApiError(400, "empty", "Write a few words about what helps you.")
    if len(words) > rules.max_length:
        raise ApiError(
            400, "too_long", f"Keep it to {rules.max_length} characters, so it's quick to read when you need it."
        )
    if len(items) >= rules.max_items:
        raise ApiError(
            409, "kit_full", f"Your kit holds {rules.max_items} things; remove one to make room for another."
        )
    item = KitItem(
        user_id=author_id(user),
        text=words,
        suggestion_id=suggestion_id,
        position=(items[-1].position + 1) if items else 0,
    )
    db.add(item)
    await db.commit()
    return KitItemPublic(id=item.id, text=item.text, suggestion_id=item.suggestion_id)


async def reorder(db: AsyncSession, *, user: User, ids: list[uuid.UUID]) -> KitPublic:
    items = await _items(db, user)
    by_id = {i.id: i for i in items}
    if len(ids) != len(set(ids)) or set(ids) != set(by_id):
        raise ApiError(400, "order_mismatch", "Send every item of your kit once, in the order you want.")
    for position, item_id in enumerate(ids):
        by_id[item_id].position = position
        db.add(by_id[item_id])
    await db.commit()
    return await my_kit(db, user=user)


async def remove(db: AsyncSession, *, user: User, item_id: uuid.UUID) -> None:
    item = (await db.exec(select(KitItem).where(KitItem.id == item_id, KitItem.user_id == author_id(user)))).first()
    if item is None:
        raise ApiError(404, "not_found", "That isn't in your kit.")
    await db.delete(item)
    await db.commit()
